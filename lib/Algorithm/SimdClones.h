//===- SimdClones.h - AVX2 and baseline builds of hot loops -----*- C++ -*-===//
//
// Part of the hinm project. Private to lib/Algorithm.
//
// HINM_SIMD_CLONES marks a function to be built twice, for AVX2 and for the
// baseline x86-64; the loader picks one for the CPU (function
// multiversioning). The marked loops use only max, min and add, lane by
// lane in a fixed order, so both builds give bit-identical results: the
// choice changes the speed, never a result. Off where ifunc is unavailable
// and under the sanitizers. Mark only file-local functions: a clone set
// declared in a header gets a resolver in every caller, which links only
// when the defining file's copy wins.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_ALGORITHM_SIMDCLONES_H
#define HINM_LIB_ALGORITHM_SIMDCLONES_H

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) ||     \
    __has_feature(thread_sanitizer)
#define HINM_NO_SIMD_CLONES
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define HINM_NO_SIMD_CLONES
#endif
#if defined(__x86_64__) && defined(__linux__) && defined(__GNUC__) &&          \
    !defined(HINM_NO_SIMD_CLONES)
#define HINM_SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define HINM_SIMD_CLONES
#endif

#endif // HINM_LIB_ALGORITHM_SIMDCLONES_H
