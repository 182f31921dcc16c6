// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Names of the interrupt hcalls, their return codes and the RTAS calls.
 */
#include <string.h>

#include <spirq/papr.h>

static const struct {
	uint64_t opcode;
	const char *name;
} hcalls[] = {
	{ SPIRQ_H_EOI, "H_EOI" },
	{ SPIRQ_H_CPPR, "H_CPPR" },
	{ SPIRQ_H_IPI, "H_IPI" },
	{ SPIRQ_H_IPOLL, "H_IPOLL" },
	{ SPIRQ_H_XIRR, "H_XIRR" },
	{ SPIRQ_H_XIRR_X, "H_XIRR_X" },
	{ SPIRQ_H_INT_GET_SOURCE_INFO, "H_INT_GET_SOURCE_INFO" },
	{ SPIRQ_H_INT_SET_SOURCE_CONFIG, "H_INT_SET_SOURCE_CONFIG" },
	{ SPIRQ_H_INT_GET_SOURCE_CONFIG, "H_INT_GET_SOURCE_CONFIG" },
	{ SPIRQ_H_INT_GET_QUEUE_INFO, "H_INT_GET_QUEUE_INFO" },
	{ SPIRQ_H_INT_SET_QUEUE_CONFIG, "H_INT_SET_QUEUE_CONFIG" },
	{ SPIRQ_H_INT_GET_QUEUE_CONFIG, "H_INT_GET_QUEUE_CONFIG" },
	{ SPIRQ_H_INT_SET_OS_REPORTING_LINE, "H_INT_SET_OS_REPORTING_LINE" },
	{ SPIRQ_H_INT_GET_OS_REPORTING_LINE, "H_INT_GET_OS_REPORTING_LINE" },
	{ SPIRQ_H_INT_ESB, "H_INT_ESB" },
	{ SPIRQ_H_INT_SYNC, "H_INT_SYNC" },
	{ SPIRQ_H_INT_RESET, "H_INT_RESET" },
};

static const struct {
	int64_t ret;
	const char *name;
} hcall_rets[] = {
	{ SPIRQ_H_SUCCESS, "H_SUCCESS" },
	{ SPIRQ_H_HARDWARE, "H_HARDWARE" },
	{ SPIRQ_H_FUNCTION, "H_FUNCTION" },
	{ SPIRQ_H_PRIVILEGE, "H_PRIVILEGE" },
	{ SPIRQ_H_PARAMETER, "H_PARAMETER" },
	{ SPIRQ_H_P2, "H_P2" },
	{ SPIRQ_H_P3, "H_P3" },
	{ SPIRQ_H_P4, "H_P4" },
	{ SPIRQ_H_P5, "H_P5" },
};

static const struct {
	uint32_t token;
	const char *name;
	unsigned nret;
} rtas_calls[] = {
	{ SPIRQ_RTAS_SET_XIVE, "ibm,set-xive", 1 },
	{ SPIRQ_RTAS_GET_XIVE, "ibm,get-xive", 3 },
	{ SPIRQ_RTAS_INT_OFF, "ibm,int-off", 1 },
	{ SPIRQ_RTAS_INT_ON, "ibm,int-on", 1 },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int64_t spirq_hcall_opcode(const char *name)
{
	size_t i;

	for (i = 0; i < COUNT(hcalls); i++)
		if (!strcmp(hcalls[i].name, name))
			return (int64_t)hcalls[i].opcode;
	return -1;
}

const char *spirq_hcall_name(uint64_t opcode)
{
	size_t i;

	for (i = 0; i < COUNT(hcalls); i++)
		if (hcalls[i].opcode == opcode)
			return hcalls[i].name;
	return NULL;
}

const char *spirq_hcall_ret_name(int64_t ret)
{
	size_t i;

	for (i = 0; i < COUNT(hcall_rets); i++)
		if (hcall_rets[i].ret == ret)
			return hcall_rets[i].name;
	return NULL;
}

uint32_t spirq_rtas_token(const char *name)
{
	size_t i;

	for (i = 0; i < COUNT(rtas_calls); i++)
		if (!strcmp(rtas_calls[i].name, name))
			return rtas_calls[i].token;
	return 0;
}

unsigned spirq_rtas_nret(uint32_t token)
{
	size_t i;

	for (i = 0; i < COUNT(rtas_calls); i++)
		if (rtas_calls[i].token == token)
			return rtas_calls[i].nret;
	return 0;
}
