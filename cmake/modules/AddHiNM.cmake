#===- AddHiNM.cmake - helpers shared by hinm's CMake files ---------------===#
#
# Part of the hinm project.
#
#===----------------------------------------------------------------------===#

# hinm_get_libraries(<out-var> [EXCLUDE <target>...])
#
# Sets <out-var> to every static library target defined under lib/ (walked
# recursively, so a library added in a new lib/ subdirectory is picked up
# without editing any list). The plugin, the C API and the CMake package all
# use this, so a new dialect, conversion or pipeline library joins all three
# by just being declared with add_mlir_*_library under lib/. Must be called
# after add_subdirectory(lib).
function(hinm_get_libraries out)
  cmake_parse_arguments(ARG "" "" "EXCLUDE" ${ARGN})
  set(result)
  set(dirs "${PROJECT_SOURCE_DIR}/lib")
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
    list(APPEND dirs ${subdirs})
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    foreach(t IN LISTS targets)
      get_target_property(type ${t} TYPE)
      if(type STREQUAL "STATIC_LIBRARY" AND NOT t IN_LIST ARG_EXCLUDE)
        list(APPEND result ${t})
      endif()
    endforeach()
  endwhile()
  set(${out} ${result} PARENT_SCOPE)
endfunction()

# hinm_get_object_libraries(<out-var> [EXCLUDE <target>...])
#
# Like hinm_get_libraries, but returns $<TARGET_OBJECTS:obj.X> for the
# libraries that have an object library (all add_mlir_library ones), and the
# plain target names of the others (HiNMAlgorithm, an add_llvm_library) in
# <out-var>_STATIC. A module built from these links each hinm object exactly
# once and takes MLIR itself only from libMLIR.so.
function(hinm_get_object_libraries out)
  hinm_get_libraries(libs ${ARGN})
  set(objects)
  set(static)
  foreach(t IN LISTS libs)
    if(TARGET obj.${t})
      list(APPEND objects "$<TARGET_OBJECTS:obj.${t}>")
    else()
      list(APPEND static ${t})
    endif()
  endforeach()
  set(${out} ${objects} PARENT_SCOPE)
  set(${out}_STATIC ${static} PARENT_SCOPE)
endfunction()

# hinm_link_mlir_capi(<target> <PUBLIC|PRIVATE|INTERFACE> <MLIRCAPIxxx>...)
#
# The mlir-c implementation (libMLIRCAPI*.a) is not part of libMLIR.so. In the
# dylib mode, link those archives by file name: the imported targets would
# also drag in the static MLIR libraries they list (MLIRIR, MLIRParser, ...),
# a second copy of MLIR next to libMLIR.so. The archives' own calls into MLIR
# are served by libMLIR.so.
function(hinm_link_mlir_capi target type)
  foreach(lib IN LISTS ARGN)
    if(MLIR_LINK_MLIR_DYLIB)
      target_link_libraries(${target} ${type} "$<TARGET_FILE:${lib}>" MLIR)
    else()
      target_link_libraries(${target} ${type} ${lib})
    endif()
  endforeach()
endfunction()
