/* What the pages that talk to our API from the browser share (the check-in scanner, the
   visitor tally): nonces, the CSRF token, JSON requests with a time limit, and the first
   readable message of an error answer. Exposed as window.KulturvestApi. */
(function () {
  "use strict";

  var REQUEST_TIMEOUT_MS = 8000;

  // A random id for one scan or tap: a retry with it is recognised by the server.
  function newNonce() {
    if (window.crypto && typeof window.crypto.randomUUID === "function") {
      return window.crypto.randomUUID(); // only in secure contexts
    }
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return (b + 0x100).toString(16).slice(1);
      })
      .join("");
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input && input.value) {
      return input.value;
    }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* fetch JSON with a time limit. Resolves to {status, data, response}; rejects on network
     errors and timeouts. options: method, body (sent as JSON), signal. */
  function request(url, options) {
    options = options || {};
    var controller = new AbortController();
    var timer = setTimeout(function () {
      controller.abort();
    }, REQUEST_TIMEOUT_MS);
    if (options.signal) {
      options.signal.addEventListener("abort", function () {
        controller.abort();
      });
    }
    var headers = { Accept: "application/json" };
    if (options.body !== undefined) {
      headers["Content-Type"] = "application/json";
      headers["X-CSRFToken"] = csrfToken();
    }
    return fetch(url, {
      method: options.method || (options.body !== undefined ? "POST" : "GET"),
      headers: headers,
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
      credentials: "same-origin",
      signal: controller.signal,
    })
      .then(function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            return { status: response.status, data: data, response: response };
          });
      })
      .finally(function () {
        clearTimeout(timer);
      });
  }

  // The first message of an API error answer: {"detail": ...} or field errors.
  function firstMessage(data) {
    if (!data) {
      return "";
    }
    if (typeof data === "string") {
      return data;
    }
    if (Array.isArray(data)) {
      return data.length ? firstMessage(data[0]) : "";
    }
    if (data.detail) {
      return firstMessage(data.detail);
    }
    var keys = Object.keys(data);
    return keys.length ? firstMessage(data[keys[0]]) : "";
  }

  window.KulturvestApi = {
    newNonce: newNonce,
    csrfToken: csrfToken,
    request: request,
    firstMessage: firstMessage,
  };
})();
