/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A mutex that knows its owner, cheap when free.
 *
 *   word   0 free; else the holder's thread (fastlock_self(), a pointer,
 *          so bit 0 is clear) | FASTLOCK_WAITERS when threads may be
 *          asleep on it
 *
 * Taking a free lock is one compare-and-swap, giving it back one
 * exchange, which keeps the guest entry points cheap (a pthread mutex
 * costs about 100 instructions a call).  A contended taker spins a
 * little, then sleeps on the futex (the word's 32 bits that hold bit 0),
 * so more threads than CPUs do not burn the CPU the holder needs.
 * Because the owner is known, a thread that already holds the lock -- a
 * host callback calling back into its machine -- is told so instead of
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
	uintptr_t word;
};

#define FASTLOCK_WAITERS	((uintptr_t)1)
#define FASTLOCK_SPINS	100	/* tries before sleeping */

/* A word unique to the calling thread, as cheap as the target allows; an
 * aligned pointer, so bit 0 is free for FASTLOCK_WAITERS. */
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

/* The futex: the 32 bits of the word that hold FASTLOCK_WAITERS. */
static inline uint32_t *fastlock_futex(struct fastlock *l)
{
	return (uint32_t *)&l->word +
	       (sizeof(uintptr_t) == 8 &&
		__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__);
}

static inline __attribute__((always_inline)) bool fastlock_cas(struct fastlock *l, uintptr_t from,
				uintptr_t to)
{
	return __atomic_compare_exchange_n(&l->word, &from, to, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/*
 * The contended path: spin, then sleep until the holder wakes us.  Once
 * it has slept, a taker takes the lock marked FASTLOCK_WAITERS, as others
 * may still sleep.  A futex word seen equal to the expected 32 bits while
 * the whole word differs still has FASTLOCK_WAITERS set, so whoever
 * holds the lock then will wake a sleeper.
 */
static __attribute__((noinline, cold)) void fastlock_wait(struct fastlock *l,
							    uintptr_t self)
{
	uintptr_t seen;
	unsigned spins;

	for (spins = 0; spins < FASTLOCK_SPINS; spins++) {
		if (!__atomic_load_n(&l->word, __ATOMIC_RELAXED) &&
		    fastlock_cas(l, 0, self))
			return;
		fastlock_pause();
	}
	for (;;) {
		seen = __atomic_load_n(&l->word, __ATOMIC_RELAXED);
		if (!seen) {
			if (fastlock_cas(l, 0, self | FASTLOCK_WAITERS))
				return;
			continue;
		}
		if (!(seen & FASTLOCK_WAITERS) &&
		    !fastlock_cas(l, seen, seen | FASTLOCK_WAITERS))
			continue;
		syscall(SYS_futex, fastlock_futex(l), FUTEX_WAIT_PRIVATE,
			(uint32_t)(seen | FASTLOCK_WAITERS), NULL, NULL, 0);
	}
}

static __attribute__((noinline, cold)) void fastlock_wake(struct fastlock *l)
{
	syscall(SYS_futex, fastlock_futex(l), FUTEX_WAKE_PRIVATE, 1, NULL,
		NULL, 0);
}

/*
 * Take @l.  Returns false, without waiting, when the calling thread holds
 * it already.
 */
static inline __attribute__((always_inline)) bool fastlock_lock(struct fastlock *l)
{
	uintptr_t self = fastlock_self(), seen = 0;

	if (__builtin_expect(__atomic_compare_exchange_n(&l->word, &seen,
							 self, false,
							 __ATOMIC_ACQUIRE,
							 __ATOMIC_RELAXED),
			     1))
		return true;
	/* only this thread can have stored its own id there */
	if ((seen & ~FASTLOCK_WAITERS) == self)
		return false;
	fastlock_wait(l, self);
	return true;
}

/*
 * Take @l if it is free, without waiting: true when taken.  The guest
 * fast paths use it so that nothing they hold in registers has to survive
 * a call; a lock found taken sends them the full way, which waits.
 */
static inline __attribute__((always_inline)) bool fastlock_trylock(struct fastlock *l)
{
	return __builtin_expect(fastlock_cas(l, 0, fastlock_self()), 1);
}

static inline __attribute__((always_inline)) void fastlock_unlock(struct fastlock *l)
{
	if (__atomic_exchange_n(&l->word, 0, __ATOMIC_RELEASE) &
	    FASTLOCK_WAITERS)
		fastlock_wake(l);
}

#endif /* SPIRQ_FASTLOCK_H */
