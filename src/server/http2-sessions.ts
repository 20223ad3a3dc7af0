/**
 * Connection hygiene for the gRPC port's HTTP/2 sessions: a handshake deadline, an idle
 * timeout and keepalive PINGs, plus the bookkeeping `close()` needs. Internal module.
 *
 * Without these, a socket that never sends the HTTP/2 preface, a client that went away without
 * a FIN (a crashed host, a dropped NAT entry) or an idle pooled connection holds a file
 * descriptor and a session for ever.
 */
import type * as http2 from "node:http2";
import type { Socket } from "node:net";
import type { Logger } from "../logger.js";

export interface Http2SessionOptions {
  /** Destroy a session whose peer has not sent its preface and SETTINGS within this, ms. */
  handshakeTimeoutMs: number;
  /** GOAWAY to a session with no open stream for this long, ms; 0 = never. */
  idleTimeoutMs: number;
  /** PING each session this often, ms; 0 = never. */
  keepaliveIntervalMs: number;
  /** Destroy a session whose PING is unanswered this long, ms. */
  keepaliveTimeoutMs: number;
  logger: Logger;
}

export interface Http2Sessions {
  /** Open sessions. */
  readonly size: number;
  /** GOAWAY to every session: open streams finish, no new ones start. */
  closeAll(): void;
  /** Destroy every session and its socket at once. */
  destroyAll(): void;
}

/** Apply the options to every session `server` accepts from now on. */
export function manageHttp2Sessions(server: http2.Http2Server, options: Http2SessionOptions): Http2Sessions {
  const { logger } = options;
  const sessions = new Set<http2.ServerHttp2Session>();
  // session.destroy() alone does not always free a session whose GOAWAY is pending (a client
  // that stopped reading keeps it open), so the force path destroys the sockets themselves.
  const sockets = new Set<Socket>();
  // Node creates a connection's session and emits "session" inside its own "connection"
  // listener; a listener placed before it hands the raw socket over (session.socket is a proxy
  // that refuses most calls once the session is destroyed).
  let accepted: Socket | undefined;
  server.prependListener("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    accepted = socket;
  });

  server.on("session", (session) => {
    sessions.add(session);
    const socket = accepted;
    accepted = undefined;
    const timers = new Set<NodeJS.Timeout>();
    const after = (ms: number, fn: () => void): NodeJS.Timeout => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fn();
      }, ms);
      timer.unref();
      timers.add(timer);
      return timer;
    };
    const cancel = (timer: NodeJS.Timeout | undefined) => {
      if (timer === undefined) return;
      clearTimeout(timer);
      clearInterval(timer);
      timers.delete(timer);
    };
    const destroy = (why: string) => {
      logger.debug(`http2 session destroyed: ${why}`, { remote: socket?.remoteAddress });
      socket?.destroy();
      session.destroy();
    };

    const handshake = after(options.handshakeTimeoutMs, () => destroy("no HTTP/2 preface and SETTINGS in time"));

    let openStreams = 0;
    let idle: NodeJS.Timeout | undefined;
    const armIdle = () => {
      if (options.idleTimeoutMs > 0 && openStreams === 0 && !session.closed) {
        idle = after(options.idleTimeoutMs, () => {
          logger.debug("http2 session idle; sending GOAWAY", { remote: socket?.remoteAddress });
          session.close();
        });
      }
    };
    session.on("stream", (stream) => {
      openStreams++;
      cancel(idle);
      idle = undefined;
      stream.once("close", () => {
        openStreams--;
        armIdle();
      });
    });

    session.once("remoteSettings", () => {
      cancel(handshake);
      armIdle();
      if (options.keepaliveIntervalMs <= 0) return;
      let awaitingAck: NodeJS.Timeout | undefined;
      const ping = setInterval(() => {
        if (awaitingAck !== undefined || session.closed || session.destroyed) return;
        awaitingAck = after(options.keepaliveTimeoutMs, () => destroy("keepalive PING unanswered"));
        try {
          session.ping((err) => {
            cancel(awaitingAck);
            awaitingAck = undefined;
            if (err) logger.debug("http2 keepalive ping failed", { error: err });
          });
        } catch (err) {
          // Too many PINGs in flight or the session is going away: the next tick decides.
          cancel(awaitingAck);
          awaitingAck = undefined;
          logger.debug("http2 keepalive ping not sent", { error: err });
        }
      }, options.keepaliveIntervalMs);
      ping.unref();
      timers.add(ping);
    });

    session.once("close", () => {
      sessions.delete(session);
      for (const timer of timers) cancel(timer);
    });
  });

  return {
    get size() {
      return sessions.size;
    },
    closeAll() {
      for (const session of sessions) session.close();
    },
    destroyAll() {
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
    },
  };
}
