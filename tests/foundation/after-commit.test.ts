import { Writable } from "node:stream";
import { expect } from "chai";
import winston from "winston";
import type { DataSource, QueryRunner } from "typeorm";
import type { RunningStore } from "../../src/boot";
import { afterCommit } from "../../src/core/after-commit";
import { sharedStore } from "../helpers/store";

describe("afterCommit: side effects wait for the transaction to commit", () => {
  let store: RunningStore;
  let dataSource: DataSource;
  before(async () => {
    store = await sharedStore();
    dataSource = store.infra.dataSource;
  });

  it("runs after COMMIT (before transaction() resolves), never on rollback", async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      await afterCommit(manager, () => void ran.push("committed"));
      expect(ran).to.deep.equal([]); // not yet: still inside the transaction
    });
    expect(ran).to.deep.equal(["committed"]);

    await dataSource
      .transaction(async (manager) => {
        await afterCommit(manager, () => void ran.push("rolled back"));
        throw new Error("fail");
      })
      .catch(() => undefined);
    expect(ran).to.deep.equal(["committed"]);
  });

  it("drops only what a rolled-back savepoint registered, and runs the rest at the outer commit", async () => {
    const ran: string[] = [];
    await dataSource.transaction(async (manager) => {
      await afterCommit(manager, () => void ran.push("outer"));
      await manager
        .transaction(async (inner) => {
          await afterCommit(inner, () => void ran.push("inner, rolled back"));
          throw new Error("inner fails");
        })
        .catch(() => undefined);
      await manager.transaction(async (inner) => {
        await afterCommit(inner, () => void ran.push("inner, released"));
      });
      expect(ran).to.deep.equal([]); // a released savepoint is not a commit
    });
    expect(ran).to.deep.equal(["outer", "inner, released"]);
  });

  it("a failing action is logged and does not turn a committed transaction into an error; the others still run", async () => {
    const ran: string[] = [];
    const logged: string[] = [];
    const { logger } = store.infra;
    const transports = [...logger.transports];
    logger.clear().add(new winston.transports.Stream({ stream: new Writable({ write: (chunk, _enc, done) => (logged.push(String(chunk)), done()) }) }));
    try {
      await dataSource.transaction(async (manager) => {
        await afterCommit(manager, () => {
          throw new Error("Redis is down");
        });
        await afterCommit(manager, () => void ran.push("second"));
      });
    } finally {
      logger.clear();
      for (const transport of transports) logger.add(transport);
    }
    expect(ran).to.deep.equal(["second"]);
    expect(logged.join("")).to.contain("after-commit action failed").and.to.contain("Redis is down");
  });

  it("an action still waiting (Redis away) holds the caller AFTER_COMMIT_WAIT_MS at most, and never its connection", async () => {
    const { afterCommitWaitMs } = store.infra.config;
    let finish!: () => void;
    const hanging = new Promise<void>((resolve) => (finish = resolve));
    let runner: QueryRunner | undefined;
    const releasedWhileWaiting: boolean[] = [];
    const t0 = Date.now();
    const result = await dataSource.transaction(async (manager) => {
      runner = manager.queryRunner;
      await afterCommit(manager, async () => {
        setTimeout(() => releasedWhileWaiting.push(runner!.isReleased), 50);
        await hanging;
      });
      return "committed";
    });
    const waited = Date.now() - t0;
    expect(result).to.equal("committed");
    expect(releasedWhileWaiting).to.deep.equal([true]);
    expect(waited).to.be.at.least(afterCommitWaitMs - 20).and.below(afterCommitWaitMs + 2_000);
    finish();

    const t1 = Date.now();
    await afterCommit(dataSource.manager, () => new Promise(() => undefined)); // outside a transaction: the same bound
    expect(Date.now() - t1).to.be.at.least(afterCommitWaitMs - 20).and.below(afterCommitWaitMs + 2_000);
  });

  it("runs at once outside a transaction", async () => {
    const ran: string[] = [];
    await afterCommit(dataSource.manager, () => void ran.push("now"));
    expect(ran).to.deep.equal(["now"]);
  });
});
