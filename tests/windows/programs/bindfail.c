/*
 * bindfail.c — a Windows service-like program that cannot open its port:
 * the failing side of the wine scenario (tests/windows/scenario.py).
 *
 *   bindfail.exe PORT LOG_FILE
 *
 * Tries to listen on 0.0.0.0:PORT and, when the bind fails, appends one
 * line to LOG_FILE as a daemon would log it: an ISO time, the program and
 * its PID, and the Winsock error with its system text, e.g.
 *   2026-12-07T17:01:02Z bindfail[32]: failed to bind 0.0.0.0:8110 (10048: Only one usage of each socket address (protocol/network address/port) is normally permitted.)
 * (a Winsock code in the "(code: text)" form daemons print errnos in,
 * which tells the line from a Linux daemon's).
 * Exits 0 when the port was free (nothing logged), 1 when the bind failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <winsock2.h>
#include <windows.h>

/* The system's text for a Winsock error, without its line end.  Wine 8
 * has no message texts for Winsock errors: there the symbolic name
 * stands in, as programs with their own table print it. */
static void error_text(int code, char *buf, DWORD cap)
{
	DWORD n = FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, (DWORD)code, 0, buf,
				 cap, NULL);
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	if (n == 0)
		snprintf(buf, cap, "%s", code == WSAEADDRINUSE ? "WSAEADDRINUSE" : code == WSAEACCES ? "WSAEACCES"
					 : code == WSAEADDRNOTAVAIL ? "WSAEADDRNOTAVAIL" : "Winsock error");
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bindfail PORT LOG_FILE\n");
		return 2;
	}
	WSADATA wsa;
	if (WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		return 2;
	SOCKET s = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((u_short)atoi(argv[1]))};
	if (s != INVALID_SOCKET && bind(s, (struct sockaddr *)&a, sizeof(a)) == 0) {
		closesocket(s);
		return 0;
	}
	int code = WSAGetLastError();
	char text[512], when[32];
	error_text(code, text, sizeof(text));
	time_t now = time(NULL);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	FILE *log = fopen(argv[2], "a");
	if (!log)
		return 2;
	fprintf(log, "%s bindfail[%lu]: failed to bind 0.0.0.0:%s (%d: %s)\n", when,
		(unsigned long)GetCurrentProcessId(), argv[1], code, text);
	fclose(log);
	return 1;
}
