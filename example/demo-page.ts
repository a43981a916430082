// The demo page `GET /` serves: one self-contained HTML file (no build step, no CDN) that shows
// each result working in the browser. test/e2e drives it in Chromium.
export const DEMO_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>fastify-relic demo</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222 }
  h1 { font-size: 1.5rem } h2 { font-size: 1.1rem; margin: 0 0 .5rem }
  section { border: 1px solid #ccc; border-radius: 6px; padding: 1rem; margin: 1rem 0 }
  ol, ul { font-family: ui-monospace, monospace; font-size: 13px; max-height: 10rem; overflow: auto; background: #f6f6f6; padding: .5rem 2rem; margin: .5rem 0 }
  .status { font-weight: 600 } button { margin-right: .3rem }
</style>
</head>
<body>
<h1>fastify-relic</h1>
<p>Route handlers that return what happens to the connection. Each panel talks to a route of this server.</p>

<section id="ws-panel">
  <h2>WebSocket echo <code>/ws</code></h2>
  <button id="ws-connect">Connect</button>
  <input id="ws-text" value="hello" aria-label="message">
  <button id="ws-send">Send</button>
  <button id="ws-server-close">Ask the server to close</button>
  <span class="status" id="ws-status">not connected</span>
  <ol id="ws-log"></ol>
</section>

<section id="sse-panel">
  <h2>Server-Sent Events <code>/events</code> (EventStream, replay)</h2>
  <button id="sse-start">Start</button>
  <button id="sse-drop">Start, the server dropping the stream every 3 ticks</button>
  <span class="status" id="sse-status">not started</span>
  <ol id="sse-log"></ol>
</section>

<section id="refused-panel">
  <h2>Refused upgrades <code>/private</code></h2>
  <p>The handler decides after the request arrives. Browsers never see the status of a refused
  handshake (only an error), so the second route accepts and closes with 4401 instead.</p>
  <button id="refuse-401">Without token: HTTP 401</button>
  <button id="refuse-4401">Without token: close 4401</button>
  <button id="refuse-token">With token</button>
  <span class="status" id="refused-status">-</span>
</section>

<section id="chat-panel">
  <h2>Chat room <code>/chat</code> (topics)</h2>
  <input id="chat-name" value="guest" aria-label="name">
  <input id="chat-text" value="hi" aria-label="chat message">
  <button id="chat-send">Send</button>
  <span class="status" id="chat-status">connecting</span>
  <ul id="chat-log"></ul>
</section>

<script>
const $ = (id) => document.getElementById(id)
const url = (path) => (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path
const log = (list, text) => { const item = document.createElement('li'); item.textContent = text; $(list).append(item); item.scrollIntoView({ block: 'nearest' }) }

// WebSocket echo
let echo
$('ws-connect').onclick = () => {
  echo?.close()
  echo = new WebSocket(url('/ws'))
  echo.onopen = () => { $('ws-status').textContent = 'open' }
  echo.onmessage = (event) => log('ws-log', event.data)
  echo.onclose = (event) => { $('ws-status').textContent = 'closed ' + event.code + (event.reason ? ' ' + event.reason : '') }
}
$('ws-send').onclick = () => echo?.send($('ws-text').value)
$('ws-server-close').onclick = () => echo?.send('close')

// Server-Sent Events
let source
const startEvents = (path) => {
  source?.close()
  $('sse-log').textContent = ''
  source = new EventSource(path)
  source.onopen = () => { $('sse-status').textContent = 'open' }
  source.onerror = () => { window.sseReconnects = (window.sseReconnects ?? 0) + 1; $('sse-status').textContent = 'reconnecting' }
  source.addEventListener('tick', (event) => log('sse-log', 'id ' + event.lastEventId + ': ' + event.data))
}
$('sse-start').onclick = () => startEvents('/events')
$('sse-drop').onclick = () => startEvents('/events?drop=3')

// Refused upgrades
const tryPrivate = (path) => {
  $('refused-status').textContent = 'connecting'
  const socket = new WebSocket(url(path))
  let opened = false
  socket.onopen = () => { opened = true }
  socket.onmessage = (event) => { $('refused-status').textContent = 'accepted: ' + event.data; socket.close() }
  socket.onerror = () => { if (!opened) $('refused-status').textContent = 'refused: the handshake failed' }
  socket.onclose = (event) => { if (opened && event.code !== 1000 && event.code !== 1005) $('refused-status').textContent = 'closed ' + event.code + ' ' + event.reason }
}
$('refuse-401').onclick = () => tryPrivate('/private')
$('refuse-4401').onclick = () => tryPrivate('/private-close')
$('refuse-token').onclick = () => tryPrivate('/private?token=let-me-in')

// Chat
const chat = new WebSocket(url('/chat'))
chat.onopen = () => { $('chat-status').textContent = 'in the room' }
chat.onmessage = (event) => { const { name, text } = JSON.parse(event.data); log('chat-log', name + ': ' + text) }
chat.onclose = (event) => { $('chat-status').textContent = 'left ' + event.code }
$('chat-send').onclick = () => {
  const message = { name: $('chat-name').value, text: $('chat-text').value }
  chat.send(JSON.stringify(message))
  log('chat-log', message.name + ' (me): ' + message.text)
}
</script>
</body>
</html>
`
