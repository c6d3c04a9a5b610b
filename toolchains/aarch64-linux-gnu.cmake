# Cross build for 64-bit ARM gateways on Debian 12 multiarch:
#   scripts/install-cross-deps aarch64 --test     # once: g++-aarch64-linux-gnu, :arm64 -dev, qemu-user
#   scripts/cross-build aarch64                    # -> build-aarch64/firmware/switchboard
# or by hand: cmake -S . -B build-aarch64 -G Ninja -DCMAKE_TOOLCHAIN_FILE=toolchains/aarch64-linux-gnu.cmake
set(SB_TRIPLET aarch64-linux-gnu)
set(SB_PROCESSOR aarch64)
set(SB_DEB_ARCH arm64)
set(SB_QEMU /usr/bin/qemu-aarch64)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
