/*
 * holdport.c — a Windows program that holds a TCP port: the "other
 * program" of the wine scenario (tests/windows/scenario.py).
 *
 *   holdport.exe PORT READY_FILE [SECONDS]
 *
 * Listens on 0.0.0.0:PORT (0: a free port Windows picks), then writes its
 * PID and the port to READY_FILE ("324 49152") so the driver knows the
 * port is held, and keeps it for SECONDS (default 120; the driver ends it
 * sooner by stopping the wineserver).  Exits 2 when it cannot listen.
 */
#include <stdio.h>
#include <stdlib.h>
#include <winsock2.h>
#include <windows.h>

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: holdport PORT READY_FILE [SECONDS]\n");
		return 2;
	}
	WSADATA wsa;
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		return 2;
	SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((u_short)atoi(argv[1]))};
	if (s == INVALID_SOCKET || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(s, 5) != 0) {
		fprintf(stderr, "holdport: cannot listen on port %s: error %d\n", argv[1], WSAGetLastError());
		return 2;
	}
	int len = sizeof(a);
	if (getsockname(s, (struct sockaddr *)&a, &len) != 0)
		return 2;
	FILE *ready = fopen(argv[2], "w");
	if (!ready)
		return 2;
	fprintf(ready, "%lu %u\n", (unsigned long)GetCurrentProcessId(), ntohs(a.sin_port));
	fclose(ready);
	Sleep((DWORD)(argc > 3 ? atoi(argv[3]) : 120) * 1000);
	closesocket(s);
	return 0;
}
