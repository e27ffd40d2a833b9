/*
 * The machine's FP32 peak, measured: every core runs independent AVX-512 (or AVX2) fused multiply-adds from
 * registers, no memory traffic, so nothing but the FMA units bound it. The convolution efficiencies in
 * docs/performance.md are measured GFLOP/s divided by this number.
 *
 *   gcc -O3 -march=native -fopenmp tools/fp32_peak.c -o /tmp/fp32_peak && /tmp/fp32_peak
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define LANES 16
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define SUM(v) _mm512_reduce_add_ps(v)
#else
typedef __m256 vec;
#define LANES 8
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
static float SUM(__m256 v) { float f[8]; _mm256_storeu_ps(f, v); return f[0] + f[7]; }
#endif

#define CHAINS 12 /* more independent accumulators than FMA latency x pipes, so every pipe is busy */

static double run(long iterations) {
    double total = 0;
#pragma omp parallel reduction(+ : total)
    {
        vec acc[CHAINS];
        vec a = SET1(0.999999f), b = SET1(1e-7f);
        for (int c = 0; c < CHAINS; c++) acc[c] = SET1((float)c);
        for (long i = 0; i < iterations; i++) {
#pragma GCC unroll 16 /* keeps the accumulators in registers */
            for (int c = 0; c < CHAINS; c++) acc[c] = FMA(acc[c], a, b);
        }
        float s = 0;
        for (int c = 0; c < CHAINS; c++) s += SUM(acc[c]);
        total += s;
    }
    return total;
}

int main(void) {
    long iterations = 200000000L;
    run(iterations / 10); /* wake the cores up */
    double start = omp_get_wtime();
    double sink = run(iterations);
    double seconds = omp_get_wtime() - start;
    int threads = omp_get_max_threads();
    double flops = 2.0 * LANES * CHAINS * iterations * threads;
    printf("{\"threads\": %d, \"vector_bits\": %d, \"fp32_peak_gflops\": %.1f, \"per_core_gflops\": %.1f, \"sink\": %g}\n",
           threads, LANES * 32, flops / seconds / 1e9, flops / seconds / 1e9 / threads, sink);
    return 0;
}
