# Shared part of the Debian multiarch toolchain files (included by aarch64-linux-gnu.cmake and
# arm-linux-gnueabihf.cmake, which set SB_TRIPLET, SB_PROCESSOR and SB_QEMU first).
#
# On Debian the target's libraries live beside the build machine's in / (headers in
# /usr/include and /usr/include/<triplet>, libraries and CMake packages in
# /usr/lib/<triplet>), installed as `libfoo-dev:<arch>` (scripts/install-cross-deps). So:
#  - the root path is "/", and CMAKE_LIBRARY_ARCHITECTURE makes every find_library /
#    find_package look in /usr/lib/<triplet> (never in /usr/lib/x86_64-linux-gnu);
#  - programs (protoc, gzip, python3) come from the build machine;
#  - pkg-config reads only the target's .pc files (else it hands back x86 -L paths);
#  - test executables run under qemu-user with the cross libc as the loader prefix.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR ${SB_PROCESSOR})
set(CMAKE_LIBRARY_ARCHITECTURE ${SB_TRIPLET})

set(CMAKE_C_COMPILER   ${SB_TRIPLET}-gcc)
set(CMAKE_CXX_COMPILER ${SB_TRIPLET}-g++)
# binutils of the target (cpack's strip, footprint's size/nm).
set(CMAKE_STRIP   /usr/bin/${SB_TRIPLET}-strip   CACHE FILEPATH "target strip")
set(CMAKE_OBJCOPY /usr/bin/${SB_TRIPLET}-objcopy CACHE FILEPATH "target objcopy")

set(CMAKE_FIND_ROOT_PATH /)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: the target's .pc files only (plus the architecture-independent ones).
set(ENV{PKG_CONFIG_LIBDIR} /usr/lib/${SB_TRIPLET}/pkgconfig:/usr/share/pkgconfig)
set(ENV{PKG_CONFIG_PATH} "")
unset(ENV{PKG_CONFIG_SYSROOT_DIR})

# OpenSSL: FindOpenSSL would otherwise be happy with the first libcrypto it meets.
set(OPENSSL_ROOT_DIR /usr CACHE PATH "")
set(OPENSSL_CRYPTO_LIBRARY /usr/lib/${SB_TRIPLET}/libcrypto.so CACHE FILEPATH "")
set(OPENSSL_SSL_LIBRARY    /usr/lib/${SB_TRIPLET}/libssl.so    CACHE FILEPATH "")

# protoc runs on the build machine; its generated code must match the target's
# libprotobuf-lite (both 3.21.12 on bookworm).
set(PROTOC /usr/bin/protoc CACHE FILEPATH "protoc of the build machine")

# CTest (and doctest discovery) run target executables through qemu-user.
set(CMAKE_CROSSCOMPILING_EMULATOR ${SB_QEMU} -L /usr/${SB_TRIPLET})

# Debian packages (packaging/CPack.cmake) are named after the dpkg architecture.
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${SB_DEB_ARCH})
