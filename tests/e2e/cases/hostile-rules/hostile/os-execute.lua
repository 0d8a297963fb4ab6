-- Running a command.
os.execute("touch pwned /tmp/kbdiag-hostile-pwned")
