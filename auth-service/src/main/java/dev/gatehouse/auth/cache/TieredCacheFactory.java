package dev.gatehouse.auth.cache;

import java.util.concurrent.Executor;
import java.util.function.Function;

import dev.gatehouse.model.invalidation.CacheKind;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Builds the tiered cache of each kind on the shared L2 store, loader threads and settings.
 */
public final class TieredCacheFactory {

	private final L2Store l2;

	private final CacheSettings settings;

	private final Executor loader;

	private final MeterRegistry meters;

	private final CoherenceLease lease;

	public TieredCacheFactory(L2Store l2, CacheSettings settings, CoherenceLease lease, Executor loader, MeterRegistry meters) {
		this.l2 = l2;
		this.lease = lease;
		this.settings = settings;
		this.loader = loader;
		this.meters = meters;
	}

	/**
	 * Builds a tiered cache.
	 * @param <S> the stored form
	 * @param <V> the compiled form
	 * @param kind the kind of entry
	 * @param storedType the class of the stored form (JSON in L2)
	 * @param source reads a key from PostgreSQL with its seq
	 * @param compile turns the stored form into what requests use
	 * @return the cache
	 */
	public <S, V> TieredCache<S, V> create(CacheKind kind, Class<S> storedType, Function<String, Versioned<S>> source,
			Function<S, V> compile) {
		return new TieredCache<>(kind, storedType, source, compile, this.l2, this.settings, this.lease, this.loader,
				this.meters);
	}

	/**
	 * Builds a cache that reads only PostgreSQL behind L1, for keys that decide who a client is (the token
	 * key, peer keys): whoever can write Redis must not be able to swap them. Invalidation, single-flight
	 * loads and the coherence lease work as for every other kind; there are few such keys and they change
	 * rarely, so the shared cache would save little.
	 * @param <S> the stored form
	 * @param <V> the compiled form
	 * @param kind the kind of entry
	 * @param storedType the class of the stored form
	 * @param source reads a key from PostgreSQL with its seq
	 * @param compile turns the stored form into what requests use
	 * @return the cache
	 */
	public <S, V> TieredCache<S, V> createWithoutL2(CacheKind kind, Class<S> storedType,
			Function<String, Versioned<S>> source, Function<S, V> compile) {
		return new TieredCache<>(kind, storedType, source, compile, null, this.settings, this.lease, this.loader,
				this.meters);
	}

}
