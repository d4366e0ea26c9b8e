package com.meetups.service;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One lock shared by the event and registration services, so that seat counting, sign-ups,
 * cancellations and capacity changes never interleave.
 */
public class BookingLock {
    private final ReentrantLock lock = new ReentrantLock();

    public <T> T call(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }
}
