/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * spirq - the interrupt subsystem of a PAPR "pseries" virtual machine
 *
 * Umbrella header: include this one.
 */
#ifndef SPIRQ_SPIRQ_H
#define SPIRQ_SPIRQ_H

#include <spirq/version.h>
#include <spirq/error.h>
#include <spirq/config.h>
#include <spirq/topology.h>
#include <spirq/papr.h>
#include <spirq/machine.h>
#include <spirq/fdt.h>
#include <spirq/migration.h>
#include <spirq/kvm.h>

#endif /* SPIRQ_SPIRQ_H */
