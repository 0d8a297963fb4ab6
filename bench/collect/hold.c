/*
 * hold.c — holds sockets open on loopback for the collector benchmark:
 *   hold listen N    N TCP listeners on 127.0.0.1 (ephemeral ports)
 *   hold connect N   N established TCP connections to one 127.0.0.1
 *                    listener: 2N + 1 sockets, the client ends held by
 *                    a child process so neither passes the open-file
 *                    limit (which an unprivileged user cannot raise)
 * Prints "ready" once they are open, then keeps them until its standard
 * input closes.  Raises its open-file limit as far as it may.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int listener(struct sockaddr_in *a)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	socklen_t len = sizeof(*a);
	a->sin_family = AF_INET;
	a->sin_port = 0;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)a, sizeof(*a)) < 0 || listen(fd, 4096) < 0 ||
	    getsockname(fd, (struct sockaddr *)a, &len) < 0) {
		perror("hold: listener");
		exit(1);
	}
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 3 || (strcmp(argv[1], "listen") && strcmp(argv[1], "connect"))) {
		fprintf(stderr, "usage: hold listen|connect N\n");
		return 2;
	}
	long n = strtol(argv[2], NULL, 10);
	rlim_t want = (rlim_t)(2 * n + 64);
	struct rlimit rl = {want, want};
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
		getrlimit(RLIMIT_NOFILE, &rl);
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	struct sockaddr_in a;
	if (strcmp(argv[1], "listen") == 0) {
		for (long i = 0; i < n; i++)
			listener(&a);
	} else {
		int l = listener(&a), done[2];
		if (pipe(done) < 0)
			return 1;
		pid_t child = fork();
		if (child == 0) {
			close(l);
			for (long i = 0; i < n; i++) {
				int c = socket(AF_INET, SOCK_STREAM, 0);
				if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) < 0) {
					perror("hold: connect");
					_exit(1);
				}
			}
			if (write(done[1], "x", 1) != 1)
				_exit(1);
			char buf[64];
			while (read(0, buf, sizeof(buf)) > 0)
				;
			_exit(0);
		}
		for (long i = 0; i < n; i++)
			if (accept(l, NULL, NULL) < 0) {
				perror("hold: accept");
				return 1;
			}
		char x;
		if (read(done[0], &x, 1) != 1)
			return 1;
	}
	printf("ready\n");
	fflush(stdout);
	char buf[64];
	while (read(0, buf, sizeof(buf)) > 0)
		;
	return 0;
}
