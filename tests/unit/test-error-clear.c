// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every public function that takes a spirq_error leaves it cleared (code
 * 0, empty message) when it succeeds: an embedder that reuses one
 * spirq_error must not read a stale explanation after a success.  The
 * list of such functions is taken from the installed headers
 * (include/spirq/, given as argument), so a new one without a case here
 * fails the test.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <spirq/spirq.h>

static const char *include_dir;

/* A spirq_error holding what an earlier failure left. */
static spirq_error *stale(spirq_error *err)
{
	err->code = SPIRQ_ERR_CONFIG;
	snprintf(err->message, sizeof(err->message), "an earlier failure");
	return err;
}

static void assert_cleared(const spirq_error *err)
{
	assert_int_equal(err->code, 0);
	assert_string_equal(err->message, "");
}

static void config(spirq_config *cfg, const char *machine)
{
	spirq_options opts;

	spirq_options_init(&opts);
	assert_int_equal(spirq_options_parse_machine(&opts, machine, NULL), 0);
	assert_int_equal(spirq_options_parse_smp(&opts, "2,maxcpus=4", NULL), 0);
	assert_int_equal(spirq_options_parse_memory(&opts, "1G", NULL), 0);
	assert_int_equal(spirq_config_resolve(&opts, cfg, NULL), 0);
}

static void test_options(void **state)
{
	const char *argv[] = { "-M", "pseries-7.2", "-smp", "2" };
	spirq_options opts;
	spirq_config cfg;
	spirq_error err;

	spirq_options_init(&opts);
	assert_int_equal(spirq_options_parse_machine(&opts,
			 "pseries-7.2,ic-mode=dual", stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_options_parse_smp(&opts, "2,maxcpus=4",
						 stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_options_parse_cpu(&opts, "POWER9",
						 stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_options_parse_memory(&opts, "1G",
						    stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_options_parse_accel(&opts, "tcg",
						   stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_config_resolve(&opts, &cfg, stale(&err)), 0);
	assert_cleared(&err);
	/* (void *): argv's type is char *const[] today, const char *const[]
	 * soon; a void pointer converts to either */
	assert_int_equal(spirq_config_from_args(4, (void *)argv, &cfg,
						stale(&err)), 0);
	assert_cleared(&err);
}

static void test_machine(void **state)
{
	spirq_config cfg;
	spirq_machine *m;
	spirq_ic_mode mode;
	spirq_error err;
	uint32_t first;

	config(&cfg, "pseries-7.2,ic-mode=dual");
	assert_int_equal(spirq_machine_create(&cfg, NULL, &m, stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_irq_claim(m, 0x1100, true, stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_msi_alloc(m, 4, false, &first, stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_cas(m, 0x40, &mode, stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_cpu_plug(m, 2, stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_cpu_unplug(m, 2, stale(&err)), 0);
	assert_cleared(&err);
	spirq_machine_destroy(m);
}

static void test_migration(void **state)
{
	spirq_config cfg;
	spirq_machine *m;
	spirq_error err;
	size_t len = 0;
	uint8_t *stream;

	config(&cfg, "pseries-7.2,ic-mode=xive");
	assert_int_equal(spirq_machine_create(&cfg, NULL, &m, NULL), 0);
	spirq_save(m, NULL, 0, &len);
	stream = malloc(len);
	assert_non_null(stream);
	assert_int_equal(spirq_save(m, stream, len, &len), 0);
	assert_int_equal(spirq_restore(m, stream, len, stale(&err)), 0);
	assert_cleared(&err);
	assert_int_equal(spirq_migration_check(&cfg, &cfg, stale(&err)), 0);
	assert_cleared(&err);
	free(stream);
	spirq_machine_destroy(m);
}

/* The functions the tests above cover. */
static const char *const covered[] = {
	"spirq_options_parse_machine", "spirq_options_parse_smp",
	"spirq_options_parse_cpu", "spirq_options_parse_memory",
	"spirq_options_parse_accel", "spirq_config_resolve",
	"spirq_config_from_args", "spirq_machine_create", "spirq_irq_claim",
	"spirq_msi_alloc", "spirq_cas", "spirq_cpu_plug", "spirq_cpu_unplug",
	"spirq_restore", "spirq_migration_check",
	"spirq_error_clear",	/* clears by definition */
};

static bool is_covered(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(covered) / sizeof(covered[0]); i++)
		if (!strcmp(name, covered[i]))
			return true;
	return false;
}

/*
 * Each "SPIRQ_API ... name(...);" declaration of @path whose parameters
 * mention spirq_error must be covered.  Returns how many were found.
 */
static unsigned check_header(const char *path)
{
	char *text, *decl, *end, *paren, *name;
	unsigned found = 0;
	long size;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)size + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
	fclose(f);
	for (decl = strstr(text, "SPIRQ_API "); decl;
	     decl = strstr(end, "SPIRQ_API ")) {
		end = strchr(decl, ';');
		paren = strchr(decl, '(');
		assert_non_null(end);
		if (!paren || paren > end)
			continue;
		*end++ = '\0';
		if (!strstr(paren, "spirq_error"))
			continue;
		for (name = paren; name > decl && (isalnum((unsigned char)name[-1]) ||
						   name[-1] == '_'); name--)
			;
		*paren = '\0';
		if (!is_covered(name))
			fail_msg("%s: %s takes a spirq_error but is not tested",
				 path, name);
		found++;
	}
	free(text);
	return found;
}

static void test_every_function_covered(void **state)
{
	static const char *const headers[] = {
		"config.h", "error.h", "fdt.h", "machine.h", "migration.h",
		"papr.h", "topology.h",
	};
	unsigned found = 0;
	char path[4096];
	size_t i;

	for (i = 0; i < sizeof(headers) / sizeof(headers[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", include_dir, headers[i]);
		found += check_header(path);
	}
	assert_int_equal(found, sizeof(covered) / sizeof(covered[0]));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_machine),
		cmocka_unit_test(test_migration),
		cmocka_unit_test(test_every_function_covered),
	};

	include_dir = argc > 1 ? argv[1] : "include/spirq";
	return cmocka_run_group_tests_name("error-clear", tests, NULL, NULL);
}
