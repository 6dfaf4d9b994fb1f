//===- PruneDetail.h - Internals shared by the pruning sources -*- C++ -*-===//
//
// Part of the hinm project. Not installed: what Prune.cpp, OCP.cpp, IVP.cpp,
// VectorPruning.cpp and JointRefinement.cpp share. The public interface is
// include/hinm/Algorithm/Prune.h.
//
// Determinism: every random choice comes from a std::mt19937_64 seeded from
// (seed, stage, task id) and owned by one task; parallel tasks write disjoint
// outputs; sums that decide anything run in a fixed order. The result is the
// same for any thread count.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_LIB_ALGORITHM_PRUNEDETAIL_H
#define HINM_LIB_ALGORITHM_PRUNEDETAIL_H

#include "hinm/Algorithm/Prune.h"

#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/Threading.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace hinm::detail {

inline uint64_t splitmix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
/// Seed of the RNG of one task: (seed, stage, id) hashed.
inline uint64_t taskSeed(uint64_t seed, uint64_t stage, uint64_t id) {
  return splitmix(splitmix(splitmix(seed) ^ stage) ^ id);
}

/// The number of threads a Runner of `threads` uses (0 = all hardware
/// threads); 1 runs inline.
inline unsigned runnerThreads(unsigned threads) {
  return threads == 1
             ? 1u
             : llvm::hardware_concurrency(threads).compute_thread_count();
}

/// Runs fn(0..count) inline or on an LLVM thread pool. Each fn(i) must write
/// only its own outputs.
class Runner {
public:
  explicit Runner(unsigned threads) {
    unsigned n = runnerThreads(threads);
    if (n <= 1)
      return;
    pool = std::make_unique<llvm::DefaultThreadPool>(
        llvm::hardware_concurrency(n));
    // An LLVM built without threads gives a single-thread executor.
    if (pool->getMaxConcurrency() <= 1)
      pool.reset();
  }
  template <typename Fn> void forEach(int64_t count, Fn &&fn) {
    if (!pool || count <= 1) {
      for (int64_t i = 0; i < count; ++i)
        fn(i);
      return;
    }
    int64_t tasks =
        std::min<int64_t>(count, 4 * int64_t(pool->getMaxConcurrency()));
    for (int64_t t = 0; t < tasks; ++t)
      pool->async([&fn, t, tasks, count] {
        for (int64_t i = t; i < count; i += tasks)
          fn(i);
      });
    pool->wait();
  }

private:
  std::unique_ptr<llvm::DefaultThreadPool> pool;
};

/// The matrix being pruned: importance by original row, padded with zero
/// rows up to a multiple of V.
struct Problem {
  int64_t rows = 0, cols = 0, V = 0, P = 0, B = 0, kept = 0, n = 0, m = 0;
  std::vector<float> imp;
  const float *row(int64_t r) const { return &imp[r * cols]; }
};

//===----------------------------------------------------------------------===//
// Vector and N:M pruning (VectorPruning.cpp).
//===----------------------------------------------------------------------===//

/// Sum of the k largest of x[0, len); x is reordered.
double topSum(float *x, int64_t len, int64_t k);
/// Column sums of the V rows stored in a block.
void blockColSums(const Problem &pb, const int32_t *blockRows, double *out);
/// Vector pruning of one block: the `kept` columns of largest summed
/// importance (ties: lower column), ascending.
std::vector<int32_t> selectVectors(const Problem &pb, const int32_t *blockRows);
/// Improves a block's vector selection for the N:M level (the perfect-IVP
/// bound) by exchanging kept and pruned columns; returns it ascending.
std::vector<int32_t> refineSelection(const Problem &pb,
                                     const int32_t *blockRows,
                                     std::vector<int32_t> vidx,
                                     int64_t maxSweeps);
/// N:M pruning of one stored row over the block's kept columns in `order`:
/// writes the mask, returns the kept importance.
double selectNM(const float *rowImp, const int32_t *order, int64_t kept,
                int64_t n, int64_t m, uint8_t *mask);
/// Stores `order` as block b's kept columns in `sel` and N:M-prunes the
/// block's rows (sel.rowPerm) into sel.nmMask; returns what they keep.
double storeBlock(const Problem &pb, HiNMSelection &sel, int64_t b,
                  const std::vector<int32_t> &order);

//===----------------------------------------------------------------------===//
// The permutation searches (OCP.cpp, IVP.cpp, JointRefinement.cpp).
//===----------------------------------------------------------------------===//

/// Work budget, in element visits, of one step of the global OCP and of
/// one round of the joint refinement: larger layers skip them. Also sets
/// their step counts (about 4x this budget in all).
constexpr double kGlobalOCPWork = 4e8;

/// The placement (slot -> row) that puts the row of slot i into block
/// bin[i]; the rows of a block keep their slot order.
std::vector<int32_t> placeInBlocks(const std::vector<int32_t> &rows,
                                   const std::vector<int64_t> &bin, int64_t B,
                                   int64_t V);

/// OCP: the paper's sampled assignment steps, then (by the options) row
/// swaps and the global k-means placement. Permutes `perm` (slot -> row).
void runOCP(const Problem &pb, std::vector<int32_t> &perm,
            const PruneOptions &opts, Runner &runner);
/// Annealed row placement by the perfect-IVP bound; true when it improved.
bool runAnnealOCP(const Problem &pb, std::vector<int32_t> &perm,
                  const PruneOptions &opts);
/// Importance N:M keeps in one stripe: m column pointers, V rows each (V a
/// multiple of 8 for the vectorized 2:4 case, which runs an AVX2 or a
/// baseline build of its loop, bit-identical: IVP.cpp).
float stripeKept(const float *const *c, int64_t V, int64_t n, int64_t m);
/// Sum over V rows (a multiple of 8) of max(0, x - t2): what adding column
/// x to a stripe remainder whose second-largest values are t2 adds to it.
/// Dispatched like stripeKept's 2:4 loop.
float addedKept24(const float *x, const float *t2, int64_t V);
/// Ejection-assignment rounds of IVP (IVPEjection.cpp) on a block stored
/// column-major in `data` (column c at data + c * V): each round, a group of
/// stripes each give up one column and an exact assignment hands every
/// stripe one column back from those and (with `useOutside`) pruned ones.
/// `order` (stripe s = order[s*m, s*m+m)), `outside` and `val` (stripe
/// values) are updated; stops after `patience` rounds without gain or past
/// `evalBudget` stripe evaluations.
void ejectionRounds(const float *data, int64_t V, int64_t n, int64_t m,
                    std::vector<int32_t> &order, std::vector<int32_t> &outside,
                    std::vector<float> &val, bool useOutside, int64_t patience,
                    int64_t evalBudget, std::mt19937_64 &rng);
/// Pricing work cap of IVP's LP dive per block at effort 1, in subset-row
/// visits (about 20 s of pricing on one core of the build VM).
constexpr double kLPDiveWork = 2e11;
/// One dive takes at most as many columns as this many full pricing rounds
/// admit under the cap: the column generation and the dive's steps took
/// about this many on the blocks measured, and a dive cut short by the cap
/// gains nothing.
constexpr double kLPDiveMinRounds = 100;
/// A block of more kept columns than one dive takes is dived in windows of
/// random stripes, each stripe in about this many windows. Measured on four
/// esrgan layers at V=64 (docs/benchmarks.md): 1, 2 and 3 gave +0.58, +0.88
/// and +1.02 IVP points for about 37x, 71x and 99x IVP's time.
constexpr double kLPDiveWindowCover = 2;
/// IVP's LP dive (IVPLPDive.cpp, 2:4 only) over the kept columns `order` of
/// a block stored column-major in `data` (column c at data + c * V), `val`
/// their stripe values: when the dive's stripes keep more, rewrites both and
/// returns true. `rng` picks the windows of a large block; `threads` run the
/// dive's pricing, whose result does not depend on them.
bool lpDiveOrder(const float *data, int64_t V, std::vector<int32_t> &order,
                 std::vector<float> &val, double effort, std::mt19937_64 &rng,
                 unsigned threads);
/// IVP of one block, starting from the kept columns `vidx` in their order;
/// returns the block's kept columns in IVP order.
std::vector<int32_t> runIVP(const Problem &pb, const int32_t *blockRows,
                            const std::vector<int32_t> &vidx,
                            const PruneOptions &opts, int64_t blockId,
                            int64_t evalBudget, bool refine);
/// Joint refinement of a finished 2CP selection; returns its kept importance.
double refineJointly(const Problem &pb, HiNMSelection &sel, double kept,
                     const PruneOptions &opts, int64_t evalBudget,
                     Runner &runner);

} // namespace hinm::detail

#endif // HINM_LIB_ALGORITHM_PRUNEDETAIL_H
