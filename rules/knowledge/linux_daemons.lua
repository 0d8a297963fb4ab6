-- Linux daemons whose bind failures the rules in rules/linux/ read: what
-- each is called in logs, process tables and systemd, and which protocols
-- (hence, through well_known_port in ports.lua, which ports) it serves.
-- Names are those of the Debian 12 packages (docs/evidence-formats.md,
-- "Linux bind failures: Debian 12 output"): the syslog identifier or journal
-- SYSLOG_IDENTIFIER a log line carries, the process name (comm) in /proc,
-- the systemd unit that runs the daemon.

-- One row per daemon.  `service` is the name findings use.  `protocol` is
-- assumed when a log line names a port that is none of the daemon's
-- well-known ones (nginx on 8080 still speaks HTTP).  `process` is the
-- name of the process that opens the listening sockets (postfix: its
-- master, whose comm is "master").
kind "linux_daemon" {
  service  = always { "string", 'the name findings use: "nginx", "postfix"' },
  role     = always { "string", '"web", "remote shell", "mail", "directory"' },
  process  = always { "string", "the process (comm) that opens the listening sockets" },
  package  = always { "string", "the Debian package that installs it" },
  protocol = always { "string", "assumed when a log names a port none of its own" },
}

facts "linux_daemon" {
  { service = "nginx",   role = "web",          process = "nginx",   package = "nginx-common",  protocol = "HTTP" },
  { service = "apache2", role = "web",          process = "apache2", package = "apache2",       protocol = "HTTP" },
  { service = "sshd",    role = "remote shell", process = "sshd",    package = "openssh-server", protocol = "SSH" },
  { service = "dovecot", role = "mail",         process = "dovecot", package = "dovecot-core",  protocol = "IMAP4" },
  { service = "postfix", role = "mail",         process = "master",  package = "postfix",       protocol = "SMTP" },
  { service = "exim4",   role = "mail",         process = "exim4",   package = "exim4-base",    protocol = "SMTP" },
  { service = "slapd",   role = "directory",    process = "slapd",   package = "slapd",         protocol = "LDAP" },
}

-- The names a log gives each daemon: journal SYSLOG_IDENTIFIER, the
-- program field of a syslog line, or what a log file's format implies.
-- Postfix names the component ("postfix/master"); exim's own log lines
-- carry no program, syslog says "exim" or "exim4".
kind "daemon_log_name" {
  name    = always { "string", "the name a log gives it (SYSLOG_IDENTIFIER, syslog program)" },
  service = always { "string", "linux_daemon.service" },
}

facts "daemon_log_name" {
  { name = "nginx",          service = "nginx" },
  { name = "apache2",        service = "apache2" },
  { name = "httpd",          service = "apache2" },
  { name = "sshd",           service = "sshd" },
  { name = "dovecot",        service = "dovecot" },
  { name = "postfix",        service = "postfix" },
  { name = "postfix/master", service = "postfix" },
  { name = "postfix/postfix-script", service = "postfix" },
  { name = "exim",           service = "exim4" },
  { name = "exim4",          service = "exim4" },
  { name = "slapd",          service = "slapd" },
}

-- systemd units that run each daemon, as `service` facts name them (with
-- and without the ".service" suffix).  Debian's postfix.service is a
-- oneshot wrapper that stays "active (exited)"; the master runs in the
-- instance postfix@-.service, which is the one that fails.
kind "daemon_unit" {
  unit    = always { "string", "a systemd unit that runs it, as service facts name it" },
  service = always { "string", "linux_daemon.service" },
}

facts "daemon_unit" {
  { unit = "nginx.service",     service = "nginx" },   { unit = "nginx",     service = "nginx" },
  { unit = "apache2.service",   service = "apache2" }, { unit = "apache2",   service = "apache2" },
  { unit = "ssh.service",       service = "sshd" },    { unit = "ssh",       service = "sshd" },
  { unit = "dovecot.service",   service = "dovecot" }, { unit = "dovecot",   service = "dovecot" },
  { unit = "postfix@-.service", service = "postfix" }, { unit = "postfix@-", service = "postfix" },
  { unit = "exim4.service",     service = "exim4" },   { unit = "exim4",     service = "exim4" },
  { unit = "slapd.service",     service = "slapd" },   { unit = "slapd",     service = "slapd" },
}

-- The protocols each daemon serves in its stock configuration, by the
-- names well_known_port uses.  `name` is the daemon's own name for the
-- listener where its log lines give one: dovecot's "service(imap-login)".
-- `optional` marks a protocol the stock configuration does not enable, so
-- another program on its port is no sign of trouble by itself.
kind "daemon_protocol" {
  service  = always { "string", "linux_daemon.service" },
  protocol = always { "string", "a protocol it serves, as well_known_port names it" },
  name     = { "string", "the daemon's own name for the listener: \"service(imap-login)\"" },
  optional = { "boolean", "the stock configuration does not enable it" },
}

facts "daemon_protocol" {
  { service = "nginx",   protocol = "HTTP" },
  { service = "nginx",   protocol = "HTTPS" },
  { service = "apache2", protocol = "HTTP" },
  { service = "apache2", protocol = "HTTPS" },
  { service = "sshd",    protocol = "SSH" },
  { service = "dovecot", protocol = "POP3",   name = "pop3-login" },
  { service = "dovecot", protocol = "IMAP4",  name = "imap-login" },
  { service = "dovecot", protocol = "IMAP4S", name = "imap-login" },
  { service = "dovecot", protocol = "POP3S",  name = "pop3-login" },
  { service = "dovecot", protocol = "SUBMISSION", name = "submission-login", optional = true },
  { service = "postfix", protocol = "SMTP" },
  { service = "postfix", protocol = "SMTPS" },
  { service = "postfix", protocol = "SUBMISSION" },
  { service = "exim4",   protocol = "SMTP" },
  { service = "exim4",   protocol = "SMTPS" },
  { service = "exim4",   protocol = "SUBMISSION" },
  { service = "slapd",   protocol = "LDAP" },
  { service = "slapd",   protocol = "LDAPS" },
}

-- Well-known ports the Windows articles did not need (IANA registry; RFC
-- 4253 SSH, RFC 8314 submissions on 465, RFC 6409 submission on 587).
facts "well_known_port" {
  { protocol = "SSH",        transport = "tcp", port = 22,  service = "ssh" },
  { protocol = "SMTPS",      transport = "tcp", port = 465, service = "smtp" },
  { protocol = "SUBMISSION", transport = "tcp", port = 587, service = "smtp" },
}
