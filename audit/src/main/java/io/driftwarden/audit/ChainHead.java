package io.driftwarden.audit;

/** The newest row of the chain: its seq and hash ({@code 0} and the genesis hash for an empty chain). */
public record ChainHead(long seq, String hash) {
}
