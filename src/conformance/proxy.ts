import { createServer, type Server, type Socket, connect } from 'node:net';

// A loopback TCP proxy for one consumer's link to the broker. Kafka clients learn broker
// addresses from metadata, so a proxy in front of the bootstrap port alone would be bypassed
// after the first request: the broker has one listener per consumer slot and advertises, on
// each, the port of that slot's proxy. Every connection of consumer i (bootstrap, coordinator,
// fetches) therefore goes through proxy i, and cutting it cuts that consumer off, and only it.
//
// A cut is a black hole, not a reset: both directions stop being read (nothing is forwarded,
// the kernel buffers fill), and connections opened during the cut are accepted but not
// forwarded. The client sees what a network partition shows it: requests that time out. On
// heal, what was held is delivered, as TCP would after a partition that heals in time; a
// connection the client gave up on in the meantime is closed on both sides then.

interface Pair {
  client: Socket;
  upstream: Socket | null;
}

export class LinkProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<Pair>();
  private cut = false;

  constructor(
    readonly listenPort: number,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer({ pauseOnConnect: true }, (client) => this.accept(client));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
  }

  private accept(client: Socket): void {
    const pair: Pair = { client, upstream: null };
    this.pairs.add(pair);
    const drop = () => {
      client.destroy();
      pair.upstream?.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', drop);
    client.on('close', drop);
    if (!this.cut) this.forward(pair);
  }

  private forward(pair: Pair): void {
    const upstream = connect(this.targetPort, '127.0.0.1');
    pair.upstream = upstream;
    const drop = () => {
      pair.client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    upstream.on('error', drop);
    upstream.on('close', drop);
    // Not pipe(): its back-pressure handling may resume a socket that a cut paused.
    const relay = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (this.cut) {
          from.pause();
          from.unshift(chunk);
        } else to.write(chunk);
      });
    relay(pair.client, upstream);
    relay(upstream, pair.client);
    pair.client.resume();
  }

  /** Stops forwarding in both directions, for existing and new connections. */
  cutLink(): void {
    this.cut = true;
    for (const p of this.pairs) {
      p.client.pause();
      p.upstream?.pause();
    }
  }

  /** Forwards again, including what was held and the connections opened during the cut. */
  heal(): void {
    this.cut = false;
    for (const p of [...this.pairs]) {
      if (!p.upstream) this.forward(p);
      else {
        p.client.resume();
        p.upstream.resume();
      }
    }
  }

  /** Closes every connection (between scenarios: what a killed consumer left behind). */
  reset(): void {
    this.cut = false;
    for (const p of [...this.pairs]) {
      p.client.destroy();
      p.upstream?.destroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.reset();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((r) => server.close(() => r()));
  }
}
