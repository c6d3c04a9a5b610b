# Until tests/CMakeLists.txt has `add_subdirectory(admin)`, a developer build can pull these
# tests in with: cmake ... -DCMAKE_PROJECT_INCLUDE=<repo>/tests/admin/dev_hook.cmake
# (included at the end of the top-level CMakeLists.txt, when sb_test() is defined).
cmake_language(EVAL CODE
  "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL include [[${CMAKE_CURRENT_LIST_DIR}/CMakeLists.txt]])")
