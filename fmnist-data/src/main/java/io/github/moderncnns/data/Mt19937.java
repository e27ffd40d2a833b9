package io.github.moderncnns.data;

/**
 * The 32-bit Mersenne Twister exactly as PyTorch's CPU generator ({@code at::mt19937}) runs it, so that Java code can
 * reproduce PyTorch's seeded random streams bit for bit. Like PyTorch, a 64-bit seed is truncated to its low 32 bits.
 *
 * <p>Not thread-safe; not for cryptography.
 */
public final class Mt19937 {
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private final int[] state = new int[N];
    private int next = N;

    /**
     * @param seed the seed, as given to {@code torch.Generator().manual_seed(seed)}
     */
    public Mt19937(long seed) {
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
    }

    /** The next 32 random bits, as an unsigned value (what PyTorch's {@code generator->random()} returns). */
    public long nextUnsignedInt() {
        if (next >= N) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (state[i] & UPPER_MASK) | (state[(i + 1) % N] & LOWER_MASK);
            state[i] = state[(i + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        next = 0;
    }
}
