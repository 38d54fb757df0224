// The tally page: a host counts visitors on a phone, tap by tap or group by group.
//
// Every tap gets its own nonce and goes into one outbox, kept in localStorage and sent in
// order to the tallies API. When the network is down a tap waits there and is sent later,
// with the same nonce (the server counts a nonce once, so a retry never counts twice) and
// with the time it was tapped. The total shown is the server's; the taps not yet sent are
// shown beside it. Words come from the page's <template id="tally-text">.
(function () {
  "use strict";

  var root = document.getElementById("tally");
  if (!root) {
    return;
  }

  // The day picker shows its day as soon as one is chosen.
  var picker = root.querySelector("[data-day-picker]");
  if (picker) {
    var showButton = root.querySelector("[data-day-submit]");
    if (showButton) {
      showButton.hidden = true;
    }
    picker.addEventListener("change", function () {
      picker.form.submit();
    });
  }

  var form = root.querySelector("[data-tap-form]");
  if (!form) {
    return;
  }

  var STORAGE_KEY = "kulturvest.tally.outbox";
  var OFFLINE_RETRY_MS = 10000;
  var DELAYED_AFTER_MS = 2000;
  var POLL_MS = 30000; // others may count at the same place: their taps show up too
  var URLS = { create: root.dataset.createUrl, day: root.dataset.dayUrl };
  var PLACE = { kind: root.dataset.placeKind, id: parseInt(root.dataset.placeId, 10) };
  var DAY = root.dataset.day;
  var SCHOOL_CLASS = root.dataset.schoolClass;
  var MAX = parseInt(root.dataset.max, 10) || 200;

  var TEXT = {};
  var textTemplate = document.getElementById("tally-text");
  if (textTemplate) {
    textTemplate.content.querySelectorAll("[data-key]").forEach(function (node) {
      TEXT[node.dataset.key] = node.textContent.trim();
    });
  }
  function t(key) {
    return TEXT[key] || key;
  }

  var ui = {
    total: root.querySelector("[data-total]"),
    pupils: root.querySelector("[data-pupils]"),
    connection: root.querySelector("[data-connection]"),
    connectionText: root.querySelector("[data-connection-text]"),
    waiting: root.querySelector("[data-waiting]"),
    waitingCount: root.querySelector("[data-waiting-count]"),
    message: root.querySelector("[data-message]"),
    group: form.querySelector("[data-group]"),
    schoolFields: form.querySelector("[data-school-fields]"),
    pupilsInput: form.querySelector("[name=pupils]"),
    schoolInput: form.querySelector("[name=school]"),
  };

  // Small helpers ----------------------------------------------------------------------

  var api = window.KulturvestApi;
  var newNonce = api.newNonce;
  var firstMessage = api.firstMessage;

  function post(url, body) {
    return api.request(url, { method: "POST", body: body });
  }

  function showMessage(text) {
    ui.message.textContent = text || "";
    ui.message.hidden = !text;
  }

  var connection = "online"; // online | offline | auth

  function setConnection(state) {
    connection = state;
    ui.connection.dataset.connection = state;
    ui.connectionText.textContent = t(state);
  }

  // The category -------------------------------------------------------------------------

  function category() {
    var checked = form.querySelector("input[name=category]:checked");
    return checked ? checked.value : "single";
  }

  function showSchoolFields() {
    if (ui.schoolFields) {
      ui.schoolFields.hidden = category() !== SCHOOL_CLASS;
    }
  }
  form.querySelectorAll("input[name=category]").forEach(function (input) {
    input.addEventListener("change", showSchoolFields);
  });

  // The outbox ------------------------------------------------------------------------

  var outbox = [];
  var pumping = false;
  var retryTimer = null;
  var sentHere = false;

  function loadOutbox() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORAGE_KEY) || "[]");
      outbox = stored.filter(function (tap) {
        return tap && tap.nonce && tap.body && typeof tap.body.visitors === "number";
      });
    } catch (error) {
      outbox = [];
    }
  }

  function saveOutbox() {
    try {
      window.localStorage.setItem(STORAGE_KEY, JSON.stringify(outbox));
    } catch (error) {
      // Private browsing or a full store: the taps still live in this page.
    }
    ui.waiting.hidden = outbox.length === 0;
    ui.waitingCount.textContent = outbox.length;
  }

  function isHere(tap) {
    return tap.body[PLACE.kind] === PLACE.id && tap.body.date === DAY;
  }

  // Numbers as the page's language writes them ("1 250" in bokmål), as the server does.
  var NUMBER = new Intl.NumberFormat(document.documentElement.lang || undefined);

  function showTotals(totals) {
    if (!totals) {
      return;
    }
    ui.total.textContent = NUMBER.format(totals.visitors);
    ui.total.dataset.value = totals.visitors;
    if (ui.pupils) {
      ui.pupils.textContent = NUMBER.format(totals.pupils);
    }
    (totals.by_category || []).forEach(function (row) {
      var cell = root.querySelector('[data-category-total="' + row.category + '"]');
      if (cell) {
        cell.textContent = NUMBER.format(row.visitors);
      }
    });
  }

  function payload(tap) {
    var body = Object.assign({}, tap.body, { nonce: tap.nonce });
    if (tap.delayed || Date.now() - tap.tappedAt > DELAYED_AFTER_MS) {
      body.tapped_at = new Date(tap.tappedAt).toISOString();
    }
    return body;
  }

  function later() {
    clearTimeout(retryTimer);
    retryTimer = setTimeout(pump, OFFLINE_RETRY_MS);
  }

  async function pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    clearTimeout(retryTimer);
    try {
      while (outbox.length) {
        var tap = outbox[0];
        var answer;
        try {
          answer = await post(URLS.create, payload(tap));
        } catch (error) {
          answer = null; // no network, or no answer in time: the same nonce again later
        }
        if (answer === null || answer.status >= 500) {
          tap.delayed = true;
          saveOutbox();
          setConnection("offline");
          later();
          break;
        }
        if (answer.status === 401 || answer.status === 403) {
          // Kept: sent once the host is logged in again, from this browser's store.
          setConnection("auth");
          showMessage(firstMessage(answer.data));
          break;
        }
        outbox.shift();
        saveOutbox();
        setConnection("online");
        if (answer.status === 200 || answer.status === 201) {
          if (isHere(tap)) {
            sentHere = true;
            showTotals(answer.data && answer.data.day_totals);
          }
        } else {
          showMessage(t("refused") + " " + firstMessage(answer.data));
        }
      }
    } finally {
      pumping = false;
    }
    if (!outbox.length && sentHere) {
      sentHere = false;
      refreshLists();
    }
  }

  // The day's totals, as the server has them, with the counts of the place's other hosts.
  function poll() {
    if (document.hidden || pumping || outbox.length) {
      return;
    }
    var query = "?" + PLACE.kind + "=" + PLACE.id + "&date=" + encodeURIComponent(DAY);
    fetch(URLS.day + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 401 || response.status === 403) {
          setConnection("auth");
          return null;
        }
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data && data.totals) {
          if (connection !== "online") {
            setConnection("online");
          }
          if (String(data.totals.visitors) !== ui.total.dataset.value) {
            showTotals(data.totals);
            refreshLists();
          }
        }
      })
      .catch(function () {
        setConnection("offline");
      });
  }

  // The latest entries and the corrections, read again from the page once all is sent.
  var refreshing = null;
  function refreshLists() {
    if (refreshing) {
      refreshing.abort();
    }
    refreshing = new AbortController();
    fetch(window.location.href, { credentials: "same-origin", signal: refreshing.signal })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (!html) {
          return;
        }
        var page = new DOMParser().parseFromString(html, "text/html");
        ["[data-entries-section]", "[data-history-section]"].forEach(function (selector) {
          var fresh = page.querySelector(selector);
          var current = root.querySelector(selector);
          if (fresh && current) {
            current.replaceWith(document.importNode(fresh, true));
          }
        });
      })
      .catch(function () {
        // The lists stay as they were; the totals are already right.
      });
  }

  // Taps ----------------------------------------------------------------------------------

  function tap(visitors) {
    var body = {
      date: DAY,
      category: category(),
      visitors: visitors,
    };
    body[PLACE.kind] = PLACE.id;
    if (body.category === SCHOOL_CLASS) {
      body.pupils = parseInt(ui.pupilsInput.value, 10) || 0;
      body.school = ui.schoolInput.value.trim();
      if (!body.pupils || !body.school) {
        showMessage(t("school-missing"));
        return false;
      }
    }
    showMessage("");
    outbox.push({ nonce: newNonce(), body: body, tappedAt: Date.now() });
    saveOutbox();
    if (navigator.vibrate) {
      navigator.vibrate(30);
    }
    pump();
    return true;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var which = event.submitter && event.submitter.dataset.add;
    if (which === "group") {
      var count = parseInt(ui.group.value, 10);
      if (!count || count < 1 || count > MAX) {
        showMessage(t(count > MAX ? "group-too-many" : "group-missing"));
        ui.group.focus();
        return;
      }
      if (tap(count)) {
        ui.group.value = "";
      }
    } else {
      tap(1);
    }
  });

  // Start ---------------------------------------------------------------------------------

  window.addEventListener("online", function () {
    setConnection("online");
    pump();
  });
  window.addEventListener("offline", function () {
    setConnection("offline");
  });
  window.addEventListener("storage", function (event) {
    if (event.key === STORAGE_KEY) {
      loadOutbox();
      saveOutbox();
    }
  });

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      pump();
      poll();
    }
  });

  showSchoolFields();
  loadOutbox();
  saveOutbox();
  if (outbox.length) {
    pump();
  }
  setInterval(poll, POLL_MS);
})();
