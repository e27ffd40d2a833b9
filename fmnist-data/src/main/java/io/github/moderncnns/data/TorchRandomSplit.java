package io.github.moderncnns.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's seeded permutation and dataset split, index for index:
 * {@code torch.randperm(n, generator=g)} on the CPU and
 * {@code torch.utils.data.random_split(dataset, lengths, generator=torch.Generator().manual_seed(seed))}.
 *
 * <p>PyTorch's CPU {@code randperm} (for n below 2<sup>32</sup>/20) fills 0..n-1 and swaps position {@code i} with
 * {@code i + random() % (n - i)} for each {@code i < n - 1}, {@code random()} being the next 32-bit output of its
 * Mersenne Twister ({@link Mt19937}); {@code random_split} takes consecutive slices of one permutation.
 */
public final class TorchRandomSplit {
    private TorchRandomSplit() {
    }

    /**
     * {@code torch.randperm(n, generator=torch.Generator().manual_seed(seed))}.
     *
     * @param n the number of indices, 0 to 2<sup>31</sup>-1
     * @param seed the generator seed
     * @return a permutation of 0..n-1
     */
    public static int[] randperm(int n, long seed) {
        return randperm(n, new Mt19937(seed));
    }

    /**
     * {@code torch.randperm(n, generator=g)}, continuing the generator's stream.
     *
     * @param n the number of indices
     * @param generator the generator, advanced by n-1 draws
     * @return a permutation of 0..n-1
     */
    public static int[] randperm(int n, Mt19937 generator) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be at least 0, found " + n);
        }
        int[] permutation = new int[n];
        Arrays.setAll(permutation, i -> i);
        for (int i = 0; i < n - 1; i++) {
            int z = (int) (generator.nextUnsignedInt() % (n - i));
            int saved = permutation[i];
            permutation[i] = permutation[z + i];
            permutation[z + i] = saved;
        }
        return permutation;
    }

    /**
     * {@code random_split(range(sum(lengths)), lengths, generator=torch.Generator().manual_seed(seed))}: the indices
     * of each subset, in PyTorch's order.
     *
     * @param seed the generator seed
     * @param lengths the subset sizes, each at least 0
     * @return one index array per subset
     */
    public static List<int[]> split(long seed, int... lengths) {
        long total = 0;
        for (int length : lengths) {
            if (length < 0) {
                throw new IllegalArgumentException("split lengths must be at least 0, found " + Arrays.toString(lengths));
            }
            total += length;
        }
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("split lengths add up to more than " + Integer.MAX_VALUE);
        }
        int[] permutation = randperm((int) total, seed);
        List<int[]> subsets = new ArrayList<>(lengths.length);
        int offset = 0;
        for (int length : lengths) {
            subsets.add(Arrays.copyOfRange(permutation, offset, offset + length));
            offset += length;
        }
        return subsets;
    }
}
