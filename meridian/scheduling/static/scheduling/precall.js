// The pre-call check: camera, microphone and connection, each ending in a plain-words verdict.
// Each check's element carries data-state="pending|ok|warn|fail"; its status line is a live region.
(() => {
  "use strict";
  const root = document.getElementById("precall");
  if (!root) return;
  const text = JSON.parse(document.getElementById("precall-text").textContent);
  const $ = (id) => document.getElementById(id);
  const video = $("camera-preview");
  const meter = $("mic-level");
  const PINGS = 6; // the first warms the connection up and is not counted
  const FRAME_WAIT_MS = 5000;
  const LISTEN_MS = 5000;
  const FETCH_TIMEOUT_MS = 15000;
  const SAMPLE_MS = 100;
  const HEARD = 0.05; // a peak above the hiss of a quiet room (browsers suppress noise by default)

  let run = 0; // bumped by each (re)start; a check from an older run stops touching the page
  let streams = [];
  let audio = null;
  let levelTimer = null;

  const say = (check, state, message) => {
    const element = $(`check-${check}`);
    element.dataset.state = state;
    element.querySelector(".precall-status").textContent = message;
  };
  const fill = (message, values) => message.replace(/\{(\w+)\}/g, (_, key) => values[key]);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  function stopMedia() {
    clearInterval(levelTimer);
    levelTimer = null;
    streams.forEach((stream) => stream.getTracks().forEach((track) => track.stop()));
    streams = [];
    if (audio) audio.close().catch(() => {});
    audio = null;
    video.srcObject = null;
    meter.value = 0;
  }

  // getUserMedia's error names, in words a person can act on.
  function mediaProblem(prefix, error) {
    switch (error && error.name) {
      case "NotAllowedError":
      case "SecurityError":
        return text[`${prefix}_blocked`];
      case "NotFoundError":
      case "OverconstrainedError":
        return text[`${prefix}_missing`];
      case "NotReadableError":
      case "AbortError":
        return text[`${prefix}_busy`];
      default:
        return fill(text[`${prefix}_failed`], { error: (error && error.name) || String(error) });
    }
  }

  async function open(constraints) {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    streams.push(stream);
    return stream;
  }

  async function checkCamera(token) {
    say("camera", "pending", text.starting);
    let stream;
    try {
      stream = await open({ video: true });
    } catch (error) {
      if (token === run) say("camera", "fail", mediaProblem("camera", error));
      return;
    }
    if (token !== run) return;
    video.srcObject = stream;
    video.play().catch(() => {}); // muted, so autoplay is allowed; a refusal shows as no frames
    const started = Date.now();
    while (video.videoWidth === 0 && Date.now() - started < FRAME_WAIT_MS) await sleep(SAMPLE_MS);
    if (token !== run) return;
    if (video.videoWidth > 0) say("camera", "ok", text.camera_ok);
    else say("camera", "fail", text.camera_dark);
  }

  async function checkMicrophone(token) {
    say("microphone", "pending", text.starting);
    let stream;
    try {
      stream = await open({ audio: true });
    } catch (error) {
      if (token === run) say("microphone", "fail", mediaProblem("mic", error));
      return;
    }
    if (token !== run) return;
    audio = new AudioContext();
    const analyser = audio.createAnalyser();
    // The window (8192 samples: 170 ms or more) outlasts the pause between reads, so no
    // sound falls between two of them, however short.
    analyser.fftSize = 8192;
    audio.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    let heard = false;
    // The bar keeps moving after the verdict, and a late sound still turns it to ok.
    levelTimer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      const peak = samples.reduce((most, s) => Math.max(most, Math.abs(s)), 0);
      meter.value = Math.max(Math.min(1, peak), meter.value * 0.7); // falls back gently, like a VU meter
      if (peak > HEARD && !heard) {
        heard = true;
        say("microphone", "ok", text.mic_ok);
      }
    }, SAMPLE_MS);
    // Browsers may hold sound back until the person has clicked something on the page.
    await audio.resume().catch(() => {});
    if (token !== run) return;
    if (audio.state !== "running") {
      say("microphone", "warn", text.mic_paused);
      return;
    }
    if (!heard) say("microphone", "pending", text.mic_listening);
    const started = Date.now();
    while (!heard && Date.now() - started < LISTEN_MS) await sleep(SAMPLE_MS);
    if (token === run && !heard) say("microphone", "warn", text.mic_silent);
  }

  async function timedFetch(url) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
    const started = performance.now();
    try {
      const response = await fetch(url, { cache: "no-store", credentials: "same-origin", signal: controller.signal });
      if (response.redirected || !response.ok) throw new Error(response.redirected ? "signed-out" : "status");
      const body = await response.arrayBuffer();
      return { ms: performance.now() - started, bytes: body.byteLength };
    } finally {
      clearTimeout(timer);
    }
  }

  const probe = (size) => `${root.dataset.probeUrl}?size=${size}&t=${Date.now()}-${Math.random()}`;

  async function checkConnection(token) {
    say("connection", "pending", text.starting);
    $("net-latency").textContent = "—";
    $("net-speed").textContent = "—";
    if (!navigator.onLine) {
      say("connection", "fail", text.net_offline);
      return;
    }
    let latency;
    let mbps;
    try {
      const times = [];
      for (let i = 0; i < PINGS; i += 1) times.push((await timedFetch(probe(1))).ms);
      times.shift();
      times.sort((a, b) => a - b);
      latency = times[Math.floor(times.length / 2)];
      const download = await timedFetch(probe(root.dataset.downloadBytes));
      mbps = (download.bytes * 8) / (download.ms / 1000) / 1e6;
    } catch (error) {
      if (token !== run) return;
      if (error.message === "signed-out") say("connection", "fail", text.net_signed_out);
      else if (!navigator.onLine) say("connection", "fail", text.net_offline);
      else if (error.name === "AbortError") say("connection", "fail", text.net_poor);
      else say("connection", "fail", text.net_unreachable);
      return;
    }
    if (token !== run) return;
    $("net-latency").textContent = fill(text.ms, { value: Math.round(latency) });
    $("net-speed").textContent = fill(text.mbps, { value: mbps >= 10 ? Math.round(mbps) : mbps.toFixed(1) });
    if (latency < 300 && mbps >= 1.5) say("connection", "ok", text.net_good);
    else if (latency < 800 && mbps >= 0.15) say("connection", "warn", text.net_fair);
    else say("connection", "fail", text.net_poor);
  }

  async function start() {
    run += 1;
    const token = run;
    stopMedia();
    ["camera", "microphone", "connection"].forEach((check) => say(check, "pending", text.starting));
    const connection = checkConnection(token);
    if (!window.isSecureContext) {
      say("camera", "fail", text.camera_insecure);
      say("microphone", "fail", text.mic_insecure);
    } else if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      const unsupported = { name: "NotSupportedError" }; // a very old browser
      say("camera", "fail", mediaProblem("camera", unsupported));
      say("microphone", "fail", mediaProblem("mic", unsupported));
    } else {
      // One device after the other: each gets its own verdict, and the browser asks one question at a time.
      await checkCamera(token);
      if (token === run) await checkMicrophone(token);
    }
    await connection;
  }

  $("precall-again").addEventListener("click", start);
  window.addEventListener("offline", () => say("connection", "fail", text.net_offline));
  window.addEventListener("online", () => checkConnection(run));
  // Leaving the page turns the camera light off; coming back from the history cache starts over.
  window.addEventListener("pagehide", () => {
    run += 1;
    stopMedia();
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) start();
  });
  start();
})();
