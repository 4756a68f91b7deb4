package io.driftwarden.jobs.concurrent;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One value per key, made once — on first use, or ahead of it on a thread of its own — and shared by every caller; a
 * failure to make it is that key's answer too (every binding that needs it fails the same way, nothing is tried twice).
 */
public final class OncePerKey<K, V> {

    private final Map<K, CompletableFuture<V>> values = new ConcurrentHashMap<>();

    /** Starts making {@code key}'s value on a daemon thread named {@code thread}, unless it is made or being made. */
    public void ahead(K key, String thread, Supplier<V> make) {
        values.computeIfAbsent(key, k -> CompletableFuture.supplyAsync(make, runnable -> {
            Thread maker = new Thread(runnable, thread);
            maker.setDaemon(true);
            maker.start();
        }));
    }

    /** {@code key}'s value: made now by {@code make} if nobody has started it, else waited for. */
    public V get(K key, Supplier<V> make) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> value = values.putIfAbsent(key, mine);
        if (value == null) {
            try {
                mine.complete(make.get());
            } catch (RuntimeException e) {
                mine.completeExceptionally(e);
            }
            value = mine;
        }
        return Futures.join(value);
    }

    /** The values made so far (waiting for those being made); keys whose making failed are left out. */
    public List<V> made() {
        return values.values().stream().filter(value -> {
            try {
                value.join();
                return true;
            } catch (CompletionException e) {
                return false;
            }
        }).map(CompletableFuture::join).toList();
    }

}
