# Cross build for 32-bit ARM (ARMv7 hard float) gateways on Debian 12 multiarch:
#   scripts/install-cross-deps armhf --test       # once: g++-arm-linux-gnueabihf, :armhf -dev, qemu-user
#   scripts/cross-build armhf                      # -> build-armhf/firmware/switchboard
# A 32-bit address space: the store caps the LMDB map at 1 GiB (sizeof(void*) == 4).
set(SB_TRIPLET arm-linux-gnueabihf)
set(SB_PROCESSOR armv7l)
set(SB_DEB_ARCH armhf)
set(SB_QEMU /usr/bin/qemu-arm)
include(${CMAKE_CURRENT_LIST_DIR}/debian-multiarch.cmake)
