/**
 * The HTTP floor of the routing benchmark, run in its own process: a bare `node:http`
 * server that answers every request with the same bytes (the platform's answer to one
 * decision) and does nothing else. Driven by the same load generator at the same rate, its
 * latency is what loopback, the generator and this machine's scheduler cost by themselves.
 */
import http from "node:http";

process.once("message", (body: string) => {
  const bytes = Buffer.from(body);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json", "content-length": bytes.length });
      res.end(bytes);
    });
  });
  server.listen(0, "127.0.0.1", () => process.send!((server.address() as { port: number }).port));
  process.once("disconnect", () => server.close());
});
