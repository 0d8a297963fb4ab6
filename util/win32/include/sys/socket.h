/*
 * sys/socket.h — for kbdiag.exe: Winsock's names for address families and
 * protocols (the Linux evidence readers only tag sockets with them), and
 * inet_ntop() (util/win32/inet.c: ws2_32 has it only from Vista).
 */
#ifndef KBDIAG_UTIL_WIN32_SYS_SOCKET_H
#define KBDIAG_UTIL_WIN32_SYS_SOCKET_H

#include <winsock2.h>
#include <ws2tcpip.h>

const char *kbu_inet_ntop(int af, const void *src, char *dst, socklen_t size);
#define inet_ntop kbu_inet_ntop

#endif
