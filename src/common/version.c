// SPDX-License-Identifier: GPL-2.0-or-later
#include <spirq/version.h>

const char *spirq_version(void)
{
	return SPIRQ_VERSION_STRING;
}
