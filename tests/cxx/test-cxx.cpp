// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The public headers are C++-clean: each one compiles alone as the first
 * include of a C++ translation unit (header-*.cpp, generated), and this
 * program includes them all and calls the library through them, linked
 * against the shared library, with arguments that are not literals.
 */
#include <spirq/spirq.h>
#include <spirq/config.h>
#include <spirq/error.h>
#include <spirq/export.h>
#include <spirq/fdt.h>
#include <spirq/machine.h>
#include <spirq/migration.h>
#include <spirq/papr.h>
#include <spirq/topology.h>
#include <spirq/version.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

static int failures;

static void check(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "FAIL: %s\n", what);
		failures++;
	}
}

struct lines {
	unsigned raised = 0;
	unsigned count = 0;
};

static void set_cpu_irq(void *opaque, unsigned, int level)
{
	if (level)
		static_cast<lines *>(opaque)->raised++;
}

static void print_line(void *opaque, const char *)
{
	static_cast<lines *>(opaque)->count++;
}

int main()
{
	std::vector<std::string> words = { "-M", "pseries-7.2,ic-mode=dual",
					   "-smp", "2,maxcpus=4", "-m", "1G" };
	std::vector<char *> argv;
	for (std::string &w : words)
		argv.push_back(&w[0]);

	spirq_config cfg;
	spirq_error err;
	spirq_error_clear(&err);
	check(spirq_config_from_args(static_cast<int>(argv.size()),
				     argv.data(), &cfg, &err) == 0,
	      "spirq_config_from_args");
	check(err.code == 0 && err.message[0] == '\0', "error cleared");

	lines host;
	spirq_host_ops ops = {};
	ops.version = SPIRQ_HOST_OPS_VERSION;
	ops.opaque = &host;
	ops.set_cpu_irq = set_cpu_irq;
	spirq_machine *m = nullptr;
	check(spirq_machine_create(&cfg, &ops, &m, &err) == 0,
	      "spirq_machine_create");
	if (!m)
		return 1;

	std::string name = "H_INT_ESB";
	check(spirq_hcall_opcode(name.c_str()) == SPIRQ_H_INT_ESB,
	      "spirq_hcall_opcode");
	check(std::strcmp(spirq_strerror(-SPIRQ_ERR_STATE),
			  "SPIRQ_ERR_STATE") == 0, "spirq_strerror");
	check(spirq_vcpu_id(&cfg, 1) == 1, "spirq_vcpu_id");

	spirq_ic_mode mode;
	check(spirq_irq_claim(m, SPIRQ_IRQ_VIO, false, &err) == 0, "claim");
	check(spirq_cas(m, 0x40, &mode, &err) == 0 &&
	      mode == SPIRQ_IC_MODE_XIVE, "CAS");
	uint64_t value = 0;
	check(spirq_mmio_load(m, 0, SPIRQ_REGION_ESB,
			      SPIRQ_XIVE_ESB_MGMT_PAGE(SPIRQ_IRQ_VIO) +
				      SPIRQ_XIVE_ESB_GET, 8, &value) == 0 &&
	      value == SPIRQ_XIVE_ESB_VAL_Q, "ESB GET: source off");
	check(spirq_mmio_load(m, 0, SPIRQ_REGION_TIMA,
			      SPIRQ_TM_OS_PAGE + SPIRQ_TM_SPC_ACK_OS_REG, 2,
			      &value) == 0, "TIMA ACK_OS_REG");
	check(SPIRQ_XIVE_ESB_WINDOW_SIZE == (1ull << 30), "ESB window 1 GiB");
	check(SPIRQ_XIVE_TM_WINDOW_SIZE == (256ull << 10),
	      "TIMA window 256 KiB");
	check(spirq_info_pic(m, print_line, &host) == 0 && host.count > 0,
	      "spirq_info_pic");

	size_t used = 0;
	spirq_save(m, nullptr, 0, &used);
	std::vector<unsigned char> stream(used);
	check(spirq_save(m, stream.data(), stream.size(), &used) == 0 &&
	      spirq_restore(m, stream.data(), used, &err) == 0,
	      "save and restore");
	spirq_machine_destroy(m);

	std::printf("%s: %d failure(s)\n", SPIRQ_VERSION_STRING, failures);
	return failures ? 1 : 0;
}
