import { execFileSync } from "node:child_process";
import fs from "node:fs";

/**
 * CPU time of named processes over a stretch, from /proc (Linux): what each
 * took of one core, and how busy the whole machine was. Elsewhere, or for a
 * process that has gone meanwhile, it says so rather than failing the drill.
 */
export class CpuMeter {
  private constructor(private readonly pids: Record<string, number>, private start: Reading) {}

  /** `pids` by name; the database server is added when it can be found. */
  static start(pids: Record<string, number | undefined>): CpuMeter {
    const known: Record<string, number> = {};
    for (const [name, pid] of Object.entries({ ...pids, mariadb: databasePid() })) if (pid) known[name] = pid;
    return new CpuMeter(known, read(known));
  }

  /** "api 11%, webhooks 43%, … | machine 65% of N cores" since the start (or the last lap). */
  lap(): string {
    const now = read(this.pids);
    const seconds = (now.at - this.start.at) / 1000;
    const shares = Object.keys(this.pids).map((name) => {
      const [from, to] = [this.start.ms[name], now.ms[name]];
      return `${name} ${from === null || to === null ? "gone" : `${Math.round((to - from) / 10 / seconds)}%`}`;
    });
    const all = now.machine.all - this.start.machine.all;
    const machine = all > 0 ? ` | machine ${Math.round(((now.machine.busy - this.start.machine.busy) / all) * 100)}% of ${now.machine.cores} cores` : "";
    this.start = now;
    return `${shares.join(", ")}${machine}`;
  }
}

interface Reading {
  at: number;
  /** null: the process could not be read (gone, or not Linux) */
  ms: Record<string, number | null>;
  machine: { busy: number; all: number; cores: number };
}

function read(pids: Record<string, number>): Reading {
  const ms: Reading["ms"] = {};
  for (const [name, pid] of Object.entries(pids)) ms[name] = processMs(pid);
  return { at: Date.now(), ms, machine: machineTicks() };
}

/** user + system time of a process in ms (clock ticks are 10 ms on Linux). */
function processMs(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

function machineTicks(): Reading["machine"] {
  try {
    const lines = fs.readFileSync("/proc/stat", "utf8").split("\n");
    const [user, nice, system, idle, iowait, irq, softirq, steal] = lines[0].split(/\s+/).slice(1).map(Number);
    const busy = user + nice + system + irq + softirq + steal;
    return { busy, all: busy + idle + iowait, cores: lines.filter((line) => /^cpu\d/.test(line)).length };
  } catch {
    return { busy: 0, all: 0, cores: 0 };
  }
}

function databasePid(): number | undefined {
  for (const name of ["mariadbd", "mysqld"]) {
    try {
      return Number(execFileSync("pidof", ["-s", name], { encoding: "utf8" }).trim()) || undefined;
    } catch {
      // not running under this name
    }
  }
  return undefined;
}
