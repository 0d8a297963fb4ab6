#!/usr/bin/python3
"""check.py --work DIR --unreachable NAME --host NAME DAEMON HOLDER PID PORT ...

Checks what tests/fleet/run.sh left in DIR: the two ansible-playbook runs
(first.json, second.json: the ansible.posix.json callback's output), the
hosts' folders in reports/hosts/ and the roll-up (reports/fleet.json, fleet.txt).
Prints each problem and exits 1 when there is one."""
import argparse
import json
import os
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROLE_TASKS = os.path.join(HERE, "..", "..", "ansible", "roles", "diagnose", "tasks")
problems = []


def problem(text):
    problems.append(text)
    print("FAIL fleet:", text)


def load_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        problem(f"{path}: {e}")
        return None


def task_names(file_name):
    """The names of the role's tasks in one tasks file, blocks included."""
    with open(os.path.join(ROLE_TASKS, file_name)) as f:
        tasks = yaml.safe_load(f)
    names = set()
    while tasks:
        task = tasks.pop()
        names.add(task["name"])
        for part in ("block", "rescue", "always"):
            tasks.extend(task.get(part, []))
    return names


def task_results(run):
    """(task name without the role prefix, host, result) of every task run."""
    for play in run.get("plays", []):
        for task in play.get("tasks", []):
            name = task["task"]["name"].split(" : ")[-1]
            for host, result in task.get("hosts", {}).items():
                yield name, host, result


def check_idempotence(second, reachable):
    """The second run changes no install or rules task, runs them (they are
    not all skipped) and writes new reports."""
    kept = task_names("install.yml") | task_names("rules.yml")
    ran = {host: 0 for host in reachable}
    reported = set()
    for name, host, result in task_results(second):
        if name in kept and host in ran:
            if result.get("changed"):
                problem(f"second run: task '{name}' changed {host}: {result.get('msg', '')}")
            if not result.get("skipped"):
                ran[host] += 1
        if name == "Run kbdiag" and result.get("changed"):
            reported.add(host)
    for host, count in ran.items():
        if count == 0:
            problem(f"second run: no install or rules task ran on {host}")
    if reported != set(reachable):
        problem(f"second run: kbdiag ran on {sorted(reported)}, not on {sorted(reachable)}")


def check_host(host, expected, report_dir, rollup_hosts, others):
    daemon, holder, pid, port = expected
    if load_json(os.path.join(report_dir, "hosts", host, "snapshot.json")) is None:
        problem(f"{host}: no snapshot fetched")
    entry = rollup_hosts.get(host)
    if entry is None:
        problem(f"the roll-up has no host {host}")
        return
    if entry.get("status") != "read":
        problem(f"the roll-up did not read {host}: {entry}")
    messages = [f.get("message", "") for f in entry.get("findings", [])]
    own = [m for m in messages if all(n in m for n in (daemon, f"127.0.0.1:{port}", f"{holder} (PID {pid}"))]
    if len(own) != 1:
        problem(f"{host}: expected one finding of {daemon} refused 127.0.0.1:{port} by {holder} (PID {pid}), got {messages}")
    for other in others:
        if any(other in m for m in messages):
            problem(f"{host}: a finding names {other}, another host's holder: {messages}")
    if not any(f.get("rule") == "fleet-site" for f in entry.get("findings", [])):
        problem(f"{host}: the site rule put in place by the role did not fire")


def check_rollup_text(path, hosts, unreachable):
    try:
        text = open(path).read()
    except OSError as e:
        problem(f"{path}: {e}")
        return
    for host, (daemon, holder, pid, port) in hosts.items():
        for needle in (host, f"127.0.0.1:{port}", f"{holder} (PID {pid}"):
            if needle not in text:
                problem(f"fleet.txt does not name {needle} ({host})")
    unreachable_lines = [line for line in text.splitlines() if unreachable in line and "unreachable" in line]
    if not unreachable_lines:
        problem(f"fleet.txt does not list {unreachable} as unreachable")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", required=True)
    parser.add_argument("--unreachable", required=True)
    parser.add_argument("--host", nargs=5, action="append", required=True,
                        metavar=("NAME", "DAEMON", "HOLDER", "PID", "PORT"))
    args = parser.parse_args()
    hosts = {h[0]: tuple(h[1:]) for h in args.host}
    reports = os.path.join(args.work, "reports")

    second = load_json(os.path.join(args.work, "second.json"))
    if second is not None:
        check_idempotence(second, list(hosts))

    marker = load_json(os.path.join(reports, "hosts", args.unreachable, "report.json"))
    if marker is not None:
        if marker.get("host", {}).get("name") != args.unreachable or not marker.get("unreachable") \
                or not marker.get("kbdiag"):
            problem(f"the marker of {args.unreachable} is not as documented: {marker}")

    rollup = load_json(os.path.join(reports, "fleet.json"))
    if rollup is not None:
        rollup_hosts = {h.get("name"): h for h in rollup.get("hosts", [])}
        for host, expected in hosts.items():
            others = [h[1] for name, h in hosts.items() if name != host]
            check_host(host, expected, reports, rollup_hosts, others)
        gamma = rollup_hosts.get(args.unreachable)
        if gamma is None or gamma.get("status") != "unreachable" or not gamma.get("reason"):
            problem(f"the roll-up does not list {args.unreachable} as unreachable with a reason: {gamma}")
        spread = {r.get("rule"): set(r.get("hosts", [])) for r in rollup.get("rules", [])}
        if spread.get("linux-port-in-use") != set(hosts):
            problem(f"the roll-up's linux-port-in-use hosts are {spread.get('linux-port-in-use')}, not {set(hosts)}")
    check_rollup_text(os.path.join(reports, "fleet.txt"), hosts, args.unreachable)

    if problems:
        sys.exit(1)
    print(f"ok: {len(hosts)} hosts rolled up with their own holders, {args.unreachable} unreachable, "
          "the second run changed no install or rules task")


main()
