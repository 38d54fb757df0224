// The check-in scanner: camera, typed codes and name search, all sent to the redeem API.
//
// A scan names its ticket by the code read or typed (the ticket's secret), or, for a person
// found by the name search, by the result's handle: the search tells the scanner no secret.
// Every scan gets its own nonce and goes through one outbox, sent in order. A scan that
// meets a network error or a 5xx is retried with the same nonce (the server answers a
// repeated nonce with its first answer and records nothing new), and when the connection
// stays down the scan waits in the outbox, kept in localStorage, and is sent later with
// the time it was made. The words shown come from the page's <template id="scanner-text">.
(function () {
  "use strict";

  var root = document.getElementById("scanner");
  if (!root) {
    return;
  }

  var LIST_ID = parseInt(root.dataset.list, 10);
  var URLS = {
    redeem: root.dataset.redeemUrl,
    annul: root.dataset.annulUrl,
    list: root.dataset.listUrl,
    search: root.dataset.searchUrl,
    registrations: root.dataset.registrationsUrl,
  };
  var SAME_CODE_PAUSE_MS = 3000; // a code held in front of the camera is sent once
  var RETRY_DELAYS_MS = [1000, 2500]; // three tries in all before a scan waits offline
  var POLL_MS = 10000;
  var OFFLINE_RETRY_MS = 15000;
  var UNDO_WINDOW_MS = 15 * 60 * 1000 - 20000; // the server allows 15 minutes
  var HISTORY_LENGTH = 8;
  var STORAGE_KEY = "kulturvest.scanner.outbox." + LIST_ID;

  // Words -------------------------------------------------------------------------------

  var TEXT = {};
  var textTemplate = document.getElementById("scanner-text");
  if (textTemplate) {
    textTemplate.content.querySelectorAll("[data-key]").forEach(function (node) {
      TEXT[node.dataset.key] = node.textContent.trim();
    });
  }
  function t(key) {
    return TEXT[key] || key;
  }
  function reasonText(reason) {
    return TEXT["reason-" + reason] || t("reason-other");
  }

  function $(selector) {
    return root.querySelector(selector);
  }

  var ui = {
    result: $("[data-result]"),
    resultTitle: $("[data-result-title]"),
    resultName: $("[data-result-name]"),
    resultDetail: $("[data-result-detail]"),
    undo: $("[data-undo]"),
    undoName: $("[data-undo-name]"),
    statusBar: $("[data-status-bar]"),
    connection: $("[data-connection]"),
    connectionText: $("[data-connection-text]"),
    waiting: $("[data-waiting]"),
    waitingCount: $("[data-waiting-count]"),
    manual: $("[data-manual]"),
    code: $("#scanner-code"),
    search: $("[data-search]"),
    searchStatus: $("[data-search-status]"),
    searchResults: $("[data-search-results]"),
    history: $("[data-history]"),
    cameraView: $("[data-camera-view]"),
    video: $("[data-video]"),
    cameraToggle: $("[data-camera-toggle]"),
    cameraMessage: $("[data-camera-message]"),
  };

  // Small helpers ----------------------------------------------------------------------

  // The server's clock minus ours, so that scans sent later carry the server's time.
  var clockOffsetMs = (parseInt(root.dataset.serverTime, 10) || 0) * 1000;
  clockOffsetMs = clockOffsetMs ? clockOffsetMs - Date.now() : 0;

  function serverNow() {
    return Date.now() + clockOffsetMs;
  }

  function learnClock(response) {
    var date = Date.parse(response.headers.get("Date") || "");
    if (!isNaN(date)) {
      clockOffsetMs = date + 500 - Date.now(); // the header has whole seconds
    }
  }

  function normalizeCode(text) {
    var value = String(text || "").trim();
    // A code read from a link to the ticket page: keep the secret only.
    var link = value.match(/\/tickets\/([A-Za-z0-9]+)/);
    if (link) {
      value = link[1];
    }
    return value.toUpperCase().replace(/[\s-]+/g, "");
  }

  // A code as people read it: in groups of four.
  function shownCode(code) {
    return code.replace(/(.{4})(?=.)/g, "$1 ");
  }

  // What names a scan before its answer: the code, or the name a search result showed.
  function scanLabel(item) {
    return item.handle ? item.label || "" : shownCode(item.secret);
  }

  function sleep(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  var api = window.KulturvestApi;
  var newNonce = api.newNonce;
  var firstMessage = api.firstMessage;

  // The API's requests, each teaching the page the server's clock.
  function request(url, options) {
    return api.request(url, options).then(function (answer) {
      learnClock(answer.response);
      return answer;
    });
  }

  // Sound and vibration ----------------------------------------------------------------

  var audio = null;
  function unlockAudio() {
    // Browsers only allow sound after a tap, so the context is made on the first one.
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      try {
        audio = new Context();
      } catch (error) {
        audio = null;
      }
    }
    if (audio && audio.state === "suspended") {
      audio.resume();
    }
  }
  document.addEventListener("pointerdown", unlockAudio, { passive: true });
  document.addEventListener("keydown", unlockAudio);

  function tone(frequency, start, duration, type) {
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = type;
    oscillator.frequency.value = frequency;
    var at = audio.currentTime + start;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.3, at + 0.01);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + duration);
    oscillator.connect(gain);
    gain.connect(audio.destination);
    oscillator.start(at);
    oscillator.stop(at + duration + 0.02);
  }

  function signal(ok) {
    if (audio && audio.state === "running") {
      if (ok) {
        tone(880, 0, 0.12, "sine");
        tone(1320, 0.12, 0.14, "sine");
      } else {
        tone(220, 0, 0.22, "square");
        tone(180, 0.28, 0.32, "square");
      }
    }
    if (navigator.vibrate) {
      navigator.vibrate(ok ? 80 : [200, 100, 200]);
    }
  }

  // Connection and list status ---------------------------------------------------------

  var connection = "online"; // online | retrying | offline | auth

  function setConnection(state) {
    connection = state;
    ui.connection.dataset.connection = state;
    ui.connectionText.textContent =
      state === "auth" ? t("auth") : state === "online" ? t("online") : t("offline");
  }

  function showStatus(status) {
    if (!status) {
      return;
    }
    ["checked_in", "expected", "inside"].forEach(function (key) {
      var node = root.querySelector('[data-stat="' + key + '"]');
      if (node && typeof status[key] === "number") {
        node.textContent = status[key];
      }
    });
  }

  function poll() {
    if (document.hidden) {
      return Promise.resolve();
    }
    return request(URLS.list)
      .then(function (answer) {
        if (answer.status === 200 && answer.data) {
          showStatus(answer.data.status);
          setConnection("online");
          if (outbox.length) {
            pump();
          }
        } else if (answer.status === 401 || answer.status === 403) {
          setConnection("auth");
        }
      })
      .catch(function () {
        setConnection("offline");
      });
  }

  // Scans: the outbox ------------------------------------------------------------------

  var scans = {}; // by nonce: every scan shown in this page's history
  var order = []; // nonces, newest first
  var outbox = []; // scans not yet answered, oldest first
  var currentNonce = null; // the scan the big panel shows
  var pumping = false;
  var offlineTimer = null;

  function saveOutbox() {
    try {
      window.localStorage.setItem(
        STORAGE_KEY,
        JSON.stringify(
          outbox.map(function (scan) {
            return {
              nonce: scan.nonce,
              secret: scan.secret,
              handle: scan.handle,
              label: scan.label,
              type: scan.type,
              madeAt: scan.madeAt,
            };
          })
        )
      );
    } catch (error) {
      // Private browsing or a full store: the outbox still lives in this page.
    }
    ui.waiting.hidden = outbox.length === 0;
    ui.waitingCount.textContent = outbox.length;
  }

  function loadOutbox() {
    var stored = [];
    try {
      stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
    } catch (error) {
      stored = [];
    }
    stored.forEach(function (saved) {
      if (saved && saved.nonce && (saved.secret || saved.handle)) {
        var scan = remember({
          nonce: saved.nonce,
          secret: saved.secret || "",
          handle: saved.handle || "",
          label: saved.label || "",
          type: saved.type === "exit" ? "exit" : "entry",
          madeAt: saved.madeAt || serverNow(),
          state: "queued",
          delayed: true,
        });
        outbox.push(scan);
      }
    });
    saveOutbox();
  }

  function remember(scan) {
    scans[scan.nonce] = scan;
    order.unshift(scan.nonce);
    order.slice(HISTORY_LENGTH * 3).forEach(function (nonce) {
      if (outbox.indexOf(scans[nonce]) === -1) {
        delete scans[nonce];
      }
    });
    order = order.slice(0, HISTORY_LENGTH * 3);
    return scan;
  }

  function mode() {
    var checked = root.querySelector("input[name=mode]:checked");
    return checked && checked.value === "exit" ? "exit" : "entry";
  }

  function scan(secret) {
    var code = normalizeCode(secret);
    if (code) {
      enqueue({ secret: code, handle: "", label: "" });
    }
  }

  // A person found by the search: the result's handle, shown by the name it showed.
  function scanFound(result) {
    enqueue({ secret: "", handle: result.handle, label: result.attendee_name });
  }

  function enqueue(what) {
    var item = remember({
      nonce: newNonce(),
      secret: what.secret,
      handle: what.handle,
      label: what.label,
      type: mode(),
      madeAt: serverNow(),
      state: connection === "online" ? "pending" : "queued",
    });
    currentNonce = item.nonce;
    outbox.push(item);
    saveOutbox();
    changed(item);
    pump();
  }

  function payload(item) {
    var body = { list: LIST_ID, type: item.type, nonce: item.nonce };
    if (item.handle) {
      body.handle = item.handle;
    } else {
      body.secret = item.secret;
    }
    // A scan that waited carries the time it was made, so validity is judged then.
    if (item.delayed || serverNow() - item.madeAt > 2000) {
      body.scanned_at = new Date(Math.min(item.madeAt, serverNow())).toISOString();
    }
    return body;
  }

  // Send one scan, retrying on network errors, 5xx and 429 (too many scans: the server
  // asks to wait); resolve with what happened.
  async function send(item) {
    var tries = connection === "offline" ? 1 : RETRY_DELAYS_MS.length + 1;
    for (var attempt = 0; attempt < tries; attempt += 1) {
      if (attempt > 0) {
        item.state = "retrying";
        setConnection("retrying");
        changed(item);
        await sleep(RETRY_DELAYS_MS[attempt - 1]);
      }
      var answer;
      try {
        answer = await request(URLS.redeem, { method: "POST", body: payload(item) });
      } catch (error) {
        item.delayed = true;
        continue; // network error or timeout: the same nonce again
      }
      if (answer.status >= 500 || answer.status === 429) {
        item.delayed = true;
        continue;
      }
      if (answer.data && answer.data.status && [200, 201, 404].indexOf(answer.status) !== -1) {
        return { kind: "answer", answer: answer.data };
      }
      if (answer.status === 401 || answer.status === 403) {
        return { kind: "auth", message: firstMessage(answer.data) };
      }
      return { kind: "refused", message: firstMessage(answer.data) };
    }
    return { kind: "offline" };
  }

  async function pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    clearTimeout(offlineTimer);
    try {
      while (outbox.length) {
        var item = outbox[0];
        if (item.state === "queued" && connection === "online") {
          item.state = "pending";
          changed(item);
        }
        var outcome = await send(item);
        if (outcome.kind === "offline") {
          setConnection("offline");
          outbox.forEach(function (waiting) {
            if (waiting.state !== "queued") {
              waiting.state = "queued";
              changed(waiting);
            }
          });
          offlineTimer = setTimeout(pump, OFFLINE_RETRY_MS);
          break;
        }
        if (outcome.kind === "auth") {
          // Keep the scan: it is sent after logging in again, from this browser's store.
          setConnection("auth");
          item.state = "queued";
          item.message = outcome.message;
          changed(item);
          break;
        }
        outbox.shift();
        saveOutbox();
        setConnection("online");
        if (outcome.kind === "answer") {
          settle(item, outcome.answer);
        } else {
          item.state = "refused";
          item.message = outcome.message;
          changed(item, true);
        }
      }
    } finally {
      pumping = false;
    }
  }

  function settle(item, answer) {
    item.answer = answer;
    item.state = answer.status === "ok" ? "ok" : "error";
    item.receivedAt = Date.now();
    showStatus(answer.list_status);
    if (item.state === "ok" && answer.checkin) {
      offerUndo(item);
    }
    changed(item, true);
    if (ui.search.value.trim().length >= 2) {
      runSearch(); // the results show who is checked in
    }
  }

  // Showing scans ----------------------------------------------------------------------

  function describe(item) {
    var ticket = item.answer && item.answer.ticket;
    var code = scanLabel(item);
    var name = ticket ? ticket.attendee_name : code;
    switch (item.state) {
      case "ok":
        return {
          title: t("ok"),
          name: name,
          detail: [t("type-" + item.type), ticket && ticket.offer].filter(Boolean).join(" · "),
        };
      case "error":
        return {
          title:
            ticket && ticket.collect
              ? t("collect").replace("{amount}", ticket.collect.amount)
              : reasonText(item.answer.reason),
          name: ticket ? ticket.attendee_name : "",
          detail: ticket ? ticket.offer : code,
        };
      case "refused":
        return { title: t("bad-request"), name: item.message || "", detail: code };
      case "retrying":
        return { title: t("retrying"), name: "", detail: code };
      case "queued":
        return {
          title: t("queued"),
          name: item.message || "",
          detail: t("type-" + item.type) + " · " + code,
        };
      case "undone":
        return { title: t("undone"), name: name, detail: t("type-" + item.type) };
      default:
        return { title: t("checking"), name: "", detail: code };
    }
  }

  function panelState(item) {
    if (item.state === "ok") {
      return "ok";
    }
    if (item.state === "error" || item.state === "refused") {
      return "error";
    }
    if (item.state === "retrying" || item.state === "queued") {
      return "waiting";
    }
    return item.state === "undone" ? "undone" : "pending";
  }

  // Redraw a scan wherever it shows; `final` marks its answer arriving.
  function changed(item, final) {
    if (item.nonce === currentNonce) {
      var text = describe(item);
      ui.result.dataset.state = panelState(item);
      ui.result.dataset.reason = (item.answer && item.answer.reason) || "";
      ui.result.dataset.mode = item.type;
      ui.resultTitle.textContent = text.title;
      ui.resultName.textContent = text.name;
      ui.resultDetail.textContent = text.detail;
      showCollect(item);
      if (final) {
        signal(item.state === "ok");
        // Restart the flash, so two answers in a row are seen as two.
        ui.result.classList.remove("flash");
        void ui.result.offsetWidth;
        ui.result.classList.add("flash");
        var box = ui.result.getBoundingClientRect();
        if (box.top < 0 || box.bottom > window.innerHeight) {
          ui.result.scrollIntoView({ block: "nearest" });
        }
      }
    }
    renderHistory();
  }

  function renderHistory() {
    var rows = order.slice(0, HISTORY_LENGTH).map(function (nonce) {
      var item = scans[nonce];
      var text = describe(item);
      var row = document.createElement("li");
      row.className = "history-row";
      row.dataset.state = panelState(item);
      var time = document.createElement("time");
      var made = new Date(item.madeAt - clockOffsetMs);
      time.dateTime = made.toISOString();
      time.textContent = made.toLocaleTimeString(document.documentElement.lang || [], {
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      });
      var what = document.createElement("span");
      what.className = "history-what";
      what.textContent = text.name || scanLabel(item);
      var how = document.createElement("span");
      how.className = "history-how";
      how.textContent = t("type-" + item.type) + " · " + text.title;
      row.append(time, what, how);
      return row;
    });
    ui.history.replaceChildren.apply(ui.history, rows);
  }

  // Undo -------------------------------------------------------------------------------

  var undoItem = null;
  var undoTimer = null;

  function offerUndo(item) {
    undoItem = item;
    ui.undoName.textContent = item.answer.ticket
      ? item.answer.ticket.attendee_name
      : scanLabel(item);
    ui.undo.hidden = false;
    ui.undo.disabled = false;
    clearTimeout(undoTimer);
    undoTimer = setTimeout(hideUndo, UNDO_WINDOW_MS);
  }

  function hideUndo() {
    undoItem = null;
    ui.undo.hidden = true;
    clearTimeout(undoTimer);
  }

  ui.undo.addEventListener("click", function () {
    var item = undoItem;
    if (!item) {
      return;
    }
    ui.undo.disabled = true;
    request(URLS.annul, { method: "POST", body: { list: LIST_ID, nonce: item.nonce } })
      .then(function (answer) {
        if (answer.status === 200) {
          item.state = "undone";
          currentNonce = item.nonce;
          hideUndo();
          changed(item, false);
          signal(true);
          poll();
        } else {
          showMessage(t("undo-failed"), firstMessage(answer.data));
          hideUndo();
        }
      })
      .catch(function () {
        ui.undo.disabled = false;
        showMessage(t("undo-failed"), t("no-connection"));
      });
  });

  // Pay at the door: staff mark an unpaid ticket's registration paid, then scan again.
  var collectButton = $("[data-collect]");
  var collectFor = null;
  function showCollect(item) {
    if (!collectButton) {
      return;
    }
    var ticket = item.answer && item.answer.ticket;
    collectFor = item.state === "error" && ticket && ticket.collect ? ticket.collect : null;
    collectButton.hidden = !collectFor;
    collectButton.disabled = false;
  }
  if (collectButton) {
    collectButton.addEventListener("click", function () {
      var collect = collectFor;
      if (!collect) {
        return;
      }
      collectButton.disabled = true;
      var url = URLS.registrations + collect.registration_id + "/mark-paid/";
      request(url, { method: "POST", body: { provider: "door", amount: collect.amount } })
        .then(function (answer) {
          collectButton.hidden = true;
          collectFor = null;
          if (answer.status === 200) {
            showMessage(t("collected"), "");
            ui.result.dataset.state = "ok";
          } else {
            showMessage(t("collect-failed"), firstMessage(answer.data));
          }
        })
        .catch(function () {
          collectButton.disabled = false;
          showMessage(t("collect-failed"), t("no-connection"));
        });
    });
  }

  function showMessage(title, detail) {
    currentNonce = null;
    ui.result.dataset.state = "error";
    ui.result.dataset.reason = "";
    ui.resultTitle.textContent = title;
    ui.resultName.textContent = "";
    ui.resultDetail.textContent = detail || "";
  }

  // Typed codes ------------------------------------------------------------------------

  ui.manual.addEventListener("submit", function (event) {
    event.preventDefault();
    var value = ui.code.value;
    ui.code.value = "";
    scan(value);
  });

  // Search -----------------------------------------------------------------------------

  var searchTimer = null;
  var searchController = null;

  function runSearch() {
    var query = ui.search.value.trim();
    if (searchController) {
      searchController.abort();
    }
    if (query.length < 2) {
      ui.searchResults.replaceChildren();
      ui.searchStatus.textContent = query ? t("search-short") : "";
      return;
    }
    searchController = new AbortController();
    ui.searchStatus.textContent = t("searching");
    request(URLS.search + "?q=" + encodeURIComponent(query), { signal: searchController.signal })
      .then(function (answer) {
        if (answer.status !== 200 || !Array.isArray(answer.data)) {
          ui.searchStatus.textContent =
            answer.status === 403 ? t("auth") : firstMessage(answer.data) || t("search-failed");
          return;
        }
        ui.searchStatus.textContent = answer.data.length ? "" : t("search-none");
        ui.searchResults.replaceChildren.apply(ui.searchResults, answer.data.map(searchRow));
      })
      .catch(function (error) {
        if (!error || error.name !== "AbortError") {
          ui.searchStatus.textContent = t("search-failed");
        }
      });
  }

  function searchRow(ticket) {
    var row = document.createElement("li");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "search-hit";
    var name = document.createElement("span");
    name.className = "search-name";
    name.textContent = ticket.attendee_name;
    var meta = document.createElement("span");
    meta.className = "search-meta";
    meta.textContent = ticket.offer + " · " + ticket.registration;
    button.append(name, meta);
    var flags = [];
    if (ticket.checked_in) {
      flags.push(["checked-in", t("checked-in")]);
    }
    if (ticket.cancelled || ticket.state === "cancelled") {
      flags.push(["cancelled", t("reason-cancelled")]);
    } else if (ticket.state !== "confirmed") {
      flags.push(["not-confirmed", t("not-confirmed")]);
    }
    flags.forEach(function (flag) {
      var badge = document.createElement("span");
      badge.className = "search-badge search-badge-" + flag[0];
      badge.textContent = flag[1];
      button.append(badge);
    });
    button.addEventListener("click", function () {
      scanFound(ticket);
    });
    row.append(button);
    return row;
  }

  ui.search.addEventListener("input", function () {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(runSearch, 300);
  });
  ui.search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      clearTimeout(searchTimer);
      runSearch();
    }
  });

  // Mode -------------------------------------------------------------------------------

  root.querySelectorAll("input[name=mode]").forEach(function (input) {
    input.addEventListener("change", function () {
      root.dataset.mode = mode();
    });
  });

  // Camera -----------------------------------------------------------------------------

  var stream = null;
  var detector = null;
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });
  var lastCode = "";
  var lastSeenAt = 0;
  var decoding = false;
  var frameRequest = null;
  var lastFrameAt = 0;

  function cameraMessage(key) {
    ui.cameraMessage.hidden = !key;
    ui.cameraMessage.textContent = key ? t(key) : "";
  }

  function cameraProblem() {
    if (!window.isSecureContext) {
      return "camera-insecure";
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return "camera-unsupported";
    }
    if (!("BarcodeDetector" in window) && typeof window.jsQR !== "function") {
      return "camera-unsupported";
    }
    return null;
  }

  async function makeDetector() {
    if (!("BarcodeDetector" in window)) {
      return null;
    }
    try {
      var formats = await window.BarcodeDetector.getSupportedFormats();
      if (formats.indexOf("qr_code") !== -1) {
        return new window.BarcodeDetector({ formats: ["qr_code"] });
      }
    } catch (error) {
      // fall back to jsQR
    }
    return null;
  }

  async function startCamera() {
    var problem = cameraProblem();
    if (problem) {
      cameraMessage(problem);
      return;
    }
    cameraMessage(null);
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          facingMode: { ideal: "environment" },
          width: { ideal: 1280 },
          height: { ideal: 720 },
        },
      });
    } catch (error) {
      stream = null;
      var name = error && error.name;
      cameraMessage(
        name === "NotAllowedError" || name === "SecurityError"
          ? "camera-denied"
          : name === "NotFoundError" || name === "OverconstrainedError"
            ? "camera-missing"
            : "camera-failed"
      );
      rememberCamera(false);
      return;
    }
    detector = detector || (await makeDetector());
    ui.video.srcObject = stream;
    ui.cameraView.hidden = false;
    try {
      await ui.video.play();
    } catch (error) {
      // autoplay with muted video normally succeeds; frames are read regardless
    }
    ui.cameraToggle.textContent = t("stop-camera");
    rememberCamera(true);
    // The site's header scrolls away, so the picture and the answer fit on a phone.
    ui.statusBar.scrollIntoView({ block: "start" });
    frameRequest = requestAnimationFrame(readFrame);
  }

  function stopCamera(remember) {
    if (stream) {
      stream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    stream = null;
    cancelAnimationFrame(frameRequest);
    ui.video.srcObject = null;
    ui.cameraView.hidden = true;
    ui.cameraToggle.textContent = t("start-camera");
    if (remember) {
      rememberCamera(false);
    }
  }

  function rememberCamera(on) {
    try {
      window.localStorage.setItem("kulturvest.scanner.camera", on ? "on" : "off");
    } catch (error) {
      // not remembered; the button still works
    }
  }

  function cameraWasOn() {
    try {
      return window.localStorage.getItem("kulturvest.scanner.camera") === "on";
    } catch (error) {
      return false;
    }
  }

  async function decode() {
    var video = ui.video;
    if (detector) {
      var codes = await detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    }
    // jsQR reads a scaled-down frame: quicker, and QR codes on phones are large.
    var scale = Math.min(1, 640 / Math.max(video.videoWidth, video.videoHeight));
    var width = Math.round(video.videoWidth * scale);
    var height = Math.round(video.videoHeight * scale);
    if (!width || !height) {
      return null;
    }
    canvas.width = width;
    canvas.height = height;
    context.drawImage(video, 0, 0, width, height);
    var image = context.getImageData(0, 0, width, height);
    var found = window.jsQR(image.data, width, height, { inversionAttempts: "dontInvert" });
    return found ? found.data : null;
  }

  function readFrame(now) {
    if (!stream) {
      return;
    }
    frameRequest = requestAnimationFrame(readFrame);
    if (decoding || now - lastFrameAt < 120 || ui.video.readyState < 2) {
      return;
    }
    lastFrameAt = now;
    decoding = true;
    decode()
      .then(function (text) {
        if (!text) {
          return;
        }
        var code = normalizeCode(text);
        var seenAt = Date.now();
        var repeat = code === lastCode && seenAt - lastSeenAt < SAME_CODE_PAUSE_MS;
        lastCode = code;
        lastSeenAt = seenAt; // held in view: the pause keeps running
        if (!repeat) {
          scan(code);
        }
      })
      .catch(function () {
        // a frame that cannot be read is skipped
      })
      .finally(function () {
        decoding = false;
      });
  }

  ui.cameraToggle.addEventListener("click", function () {
    if (stream) {
      stopCamera(true);
    } else {
      startCamera();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (document.hidden) {
      if (stream) {
        stopCamera(false); // give the camera back while the page is not seen
      }
    } else {
      poll();
      if (cameraWasOn() && !stream) {
        startCamera();
      }
    }
  });

  // Start ------------------------------------------------------------------------------

  window.addEventListener("online", function () {
    poll();
    pump();
  });
  window.addEventListener("offline", function () {
    setConnection("offline");
  });

  var problem = cameraProblem();
  if (problem) {
    cameraMessage(problem);
    ui.cameraToggle.disabled = true;
  } else if (cameraWasOn()) {
    startCamera();
  }

  loadOutbox();
  renderHistory();
  if (outbox.length) {
    pump();
  }
  setInterval(poll, POLL_MS);
})();
