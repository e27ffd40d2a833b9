# Sourced by ./moderncnns and tools/benchmark-models.sh: preloads jemalloc told to keep freed memory, when the
# machine has it (apt-get install libjemalloc2) and LD_PRELOAD is not set already. Fresh pages from the kernel made
# training 1.4-3.8x slower with the C library's malloc on the development machine (docs/performance.md).
if [ -z "${LD_PRELOAD:-}" ]; then
  for lib in /usr/lib/*-linux-gnu/libjemalloc.so.2 /usr/lib64/libjemalloc.so.2 /usr/lib/libjemalloc.so.2; do
    if [ -f "$lib" ]; then
      export LD_PRELOAD="$lib" MALLOC_CONF="${MALLOC_CONF:-dirty_decay_ms:-1,muzzy_decay_ms:-1}"
      break
    fi
  done
fi
