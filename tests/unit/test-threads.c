// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Device-line entry points racing spirq_restore(), which swaps the whole
 * state of the machine in (claims, lines, nr_irqs, controllers).  Every
 * field they read must be read under the machine lock: spirq_set_irq()
 * and spirq_irq_free() once checked the IRQ number against nr_irqs
 * before taking it, a data race ThreadSanitizer reports (make check runs
 * this test in a -fsanitize=thread build, build-tsan/).
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <setjmp.h>
#include <pthread.h>
#include <stdlib.h>
#include <cmocka.h>

#include <spirq/spirq.h>

#define FIRST_MSI	0x1300
#define NR_MSI		8
#define RESTORES	200

struct shared {
	spirq_machine *m;
	atomic_int stop;
	atomic_uint wrong;	/* unexpected return codes (cmocka's asserts
				 * work in the main thread only) */
};

/* A device: trigger its sources; free one that nobody claimed. */
static void *device_thread(void *arg)
{
	struct shared *sh = arg;
	unsigned i;

	for (i = 0; !atomic_load(&sh->stop); i++) {
		if (spirq_set_irq(sh->m, FIRST_MSI + i % NR_MSI, 1) != 0)
			atomic_fetch_add(&sh->wrong, 1);
		if (spirq_irq_free(sh->m, 0x1f00 + i % 16) != 0)
			atomic_fetch_add(&sh->wrong, 1);
		/* and an IRQ number outside the machine */
		if (spirq_set_irq(sh->m, 0x2000 + i % 16, 1) !=
		    -SPIRQ_ERR_INVAL)
			atomic_fetch_add(&sh->wrong, 1);
	}
	return NULL;
}

static void race(const char *machine)
{
	struct shared sh = { 0 };
	spirq_options opts;
	pthread_t dev[2];
	spirq_config cfg;
	size_t len = 0;
	uint8_t *stream;
	unsigned i;

	spirq_options_init(&opts);
	assert_int_equal(spirq_options_parse_machine(&opts, machine, NULL), 0);
	assert_int_equal(spirq_options_parse_smp(&opts, "2", NULL), 0);
	assert_int_equal(spirq_options_parse_memory(&opts, "1G", NULL), 0);
	assert_int_equal(spirq_config_resolve(&opts, &cfg, NULL), 0);
	assert_int_equal(spirq_machine_create(&cfg, NULL, &sh.m, NULL), 0);
	for (i = 0; i < NR_MSI; i++)
		assert_int_equal(spirq_irq_claim(sh.m, FIRST_MSI + i, false,
						 NULL), 0);
	spirq_save(sh.m, NULL, 0, &len);
	stream = malloc(len);
	assert_non_null(stream);
	assert_int_equal(spirq_save(sh.m, stream, len, &len), 0);

	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&dev[i], NULL, device_thread,
						&sh), 0);
	for (i = 0; i < RESTORES; i++)
		assert_int_equal(spirq_restore(sh.m, stream, len, NULL), 0);
	atomic_store(&sh.stop, 1);
	for (i = 0; i < 2; i++)
		pthread_join(dev[i], NULL);
	assert_int_equal(atomic_load(&sh.wrong), 0);
	free(stream);
	spirq_machine_destroy(sh.m);
}

static void test_lines_vs_restore_xics(void **state)
{
	race("pseries-7.2,ic-mode=xics");
}

static void test_lines_vs_restore_dual(void **state)
{
	race("pseries-7.2,ic-mode=dual");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_vs_restore_xics),
		cmocka_unit_test(test_lines_vs_restore_dual),
	};

	return cmocka_run_group_tests_name("threads", tests, NULL, NULL);
}
