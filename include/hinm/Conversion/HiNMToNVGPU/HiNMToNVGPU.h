//===- HiNMToNVGPU.h - hinm.matmul to an mma.sp GPU kernel ------*- C++ -*-===//
//
// Part of the hinm project. The tiling of the GPU kernel that
// --convert-hinm-to-nvgpu emits, exposed so tools (a benchmark harness, say)
// can compute the launch configuration the pass will choose.
//
//===----------------------------------------------------------------------===//
#ifndef HINM_CONVERSION_HINMTONVGPU_HINMTONVGPU_H
#define HINM_CONVERSION_HINMTONVGPU_HINMTONVGPU_H

#include <cstdint>
#include <string>

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace hinm {

/// Declares conservative memory effects (read and write everything) on
/// gpu.wait and gpu.launch_func, which upstream leaves unknown, so that
/// ownership-based buffer deallocation can free the host buffers around
/// outlined kernels. --convert-hinm-to-nvgpu adds this to the context; a
/// pipeline of one's own that deallocates after outlining calls it too.
void registerGPUHostEffectModels(mlir::DialectRegistry &registry);

/// Requested tile sizes (the pass options).
struct GPUTileOptions {
  int64_t blockM = 64;
  int64_t blockN = 64;
  int64_t warpsM = 2;
  int64_t warpsN = 2;
  int64_t stages = 3;
  /// Kept columns per pipeline step: 32 (one mma.sp k step) or 64 (two per
  /// barrier); 64 falls back to 32 when kept is not a multiple of 64.
  int64_t kTile = 64;
};

/// The tiling chosen for one matmul of `paddedRows` storage rows, vector size
/// `vectorSize`, `kept` kept columns and `n` activation columns.
struct GPUTiling {
  int64_t blockM = 0;   // rows per thread block (divides vectorSize)
  int64_t blockN = 0;   // columns of N per thread block
  int64_t warpsM = 0, warpsN = 0;
  int64_t warpRows = 0, warpCols = 0; // warp tile
  int64_t mTiles = 0, nTiles = 0;     // mma tiles per warp tile
  int64_t stages = 0;
  int64_t threads = 0;                // threads per block
  int64_t gridX = 0, gridY = 0;       // thread blocks
  int64_t kTile = 0;                  // kept columns per pipeline step
  int64_t kSteps = 0;                 // mma.sp k steps per pipeline step
  int64_t kTiles = 0;                 // pipeline steps (kept / kTile)
  int64_t sharedBytes = 0;            // static shared memory per block
};

/// Chooses the tiling; returns "" on success or the reason it cannot.
std::string chooseGPUTiling(const GPUTileOptions &opts, int64_t paddedRows,
                            int64_t vectorSize, int64_t kept, int64_t n,
                            GPUTiling &out);

/// Unit attribute on an nvgpu.mma.sp.sync: emit it as
/// mma.sp::ordered_metadata (hinm-lower-sparse-mma does).
inline constexpr const char kOrderedMetadataAttrName[] =
    "hinm.ordered_metadata";

/// Whether the kernel for `chip` (sm_<number>) uses ordered metadata under
/// the `ordered-metadata` option value `option`, for PTX ISA version `ptx`
/// (85 for 8.5; 0 when not known yet, i.e. the pipeline will pick it): auto
/// means sm_90 and newer where the PTX version allows (8.5 or newer); true
/// and false force it. Returns "" or why the option cannot be honoured (bad
/// value, or true with PTX older than 8.5).
std::string resolveOrderedMetadata(const std::string &option, unsigned sm,
                                   unsigned ptx, bool &ordered);

/// The PTX ISA version named by a features string ("+ptx85" -> 85), or 0 if
/// it names none.
unsigned ptxVersionOf(const std::string &features);

/// The PTX ISA version that introduced mma.sp::ordered_metadata.
inline constexpr unsigned kOrderedMetadataMinPtx = 85;

} // namespace hinm

#endif // HINM_CONVERSION_HINMTONVGPU_HINMTONVGPU_H
