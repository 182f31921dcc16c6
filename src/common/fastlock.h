/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A mutex that knows its owner, cheap when free.
 *
 *   state  0 free, 1 held, 2 held with waiters asleep (a futex word)
 *   owner  the holder's thread (fastlock_self()), 0 when free
 *
 * Taking a free lock is one compare-and-swap and a store, which keeps the
 * guest entry points cheap (a pthread mutex costs about 100 instructions
 * a call).  A contended taker spins a little, then sleeps on the futex, so
 * more threads than CPUs do not burn the CPU the holder needs.  Because
 * the owner is known, a thread that already holds the lock -- a host
 * callback calling back into its machine -- is told so instead of
 * deadlocking.
 */
#ifndef SPIRQ_FASTLOCK_H
#define SPIRQ_FASTLOCK_H

#include <linux/futex.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

struct fastlock {
	uint32_t state;
	uintptr_t owner;
};

#define FASTLOCK_SPINS	100	/* tries before sleeping */

/* A word unique to the calling thread, as cheap as the target allows. */
static inline uintptr_t fastlock_self(void)
{
#if defined(__x86_64__) && defined(__GNUC__) && __GNUC__ >= 11
	return (uintptr_t)__builtin_thread_pointer();
#else
	return (uintptr_t)pthread_self();
#endif
}

static inline void fastlock_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__powerpc64__)
	__asm__ __volatile__("or 27,27,27" ::: "memory");	/* low priority */
#endif
}

/* The contended path: spin, then sleep until the holder wakes us. */
static inline void fastlock_wait(struct fastlock *l)
{
	uint32_t seen;
	unsigned spins;

	for (spins = 0; spins < FASTLOCK_SPINS; spins++) {
		seen = 0;
		if (__atomic_compare_exchange_n(&l->state, &seen, 1, false,
						__ATOMIC_ACQUIRE,
						__ATOMIC_RELAXED))
			return;
		fastlock_pause();
	}
	/* 2: whoever releases must wake a sleeper */
	while (__atomic_exchange_n(&l->state, 2, __ATOMIC_ACQUIRE))
		syscall(SYS_futex, &l->state, FUTEX_WAIT_PRIVATE, 2, NULL,
			NULL, 0);
}

/*
 * Take @l.  Returns false, without waiting, when the calling thread holds
 * it already.
 */
static inline bool fastlock_lock(struct fastlock *l)
{
	uintptr_t self = fastlock_self();
	uint32_t seen = 0;

	if (!__builtin_expect(__atomic_compare_exchange_n(&l->state, &seen, 1,
							  false,
							  __ATOMIC_ACQUIRE,
							  __ATOMIC_RELAXED),
			      1)) {
		/* only this thread can have stored its own id there */
		if (__atomic_load_n(&l->owner, __ATOMIC_RELAXED) == self)
			return false;
		fastlock_wait(l);
	}
	__atomic_store_n(&l->owner, self, __ATOMIC_RELAXED);
	return true;
}

static inline void fastlock_unlock(struct fastlock *l)
{
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&l->state, 0, __ATOMIC_RELEASE) == 2)
		syscall(SYS_futex, &l->state, FUTEX_WAKE_PRIVATE, 1, NULL,
			NULL, 0);
}

#endif /* SPIRQ_FASTLOCK_H */
