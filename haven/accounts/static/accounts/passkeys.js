/* Passkeys: register one on the Security tab, sign in with one on the login pages (navigator.credentials).
   The server half lives in /api/v1/accounts/passkeys/...: options, then verify with the ceremony token. */
(function () {
  "use strict";
  function b64urlToBuf(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function bufToB64url(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function csrf() {
    if (window.havenCsrfToken) return window.havenCsrfToken();
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : "";
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify(body || {})
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw new Error((data && data.message) || r.statusText);
        return data;
      });
    });
  }
  function creationOptions(o) {
    o.challenge = b64urlToBuf(o.challenge);
    o.user.id = b64urlToBuf(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
    return o;
  }
  function requestOptions(o) {
    o.challenge = b64urlToBuf(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = b64urlToBuf(c.id); });
    return o;
  }
  function credentialJSON(cred) {
    var r = cred.response, out = {
      id: cred.id, rawId: bufToB64url(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      authenticatorAttachment: cred.authenticatorAttachment || null, response: { clientDataJSON: bufToB64url(r.clientDataJSON) }
    };
    if (r.attestationObject) {
      out.response.attestationObject = bufToB64url(r.attestationObject);
      out.response.transports = r.getTransports ? r.getTransports() : [];
    } else {
      out.response.authenticatorData = bufToB64url(r.authenticatorData);
      out.response.signature = bufToB64url(r.signature);
      out.response.userHandle = r.userHandle ? bufToB64url(r.userHandle) : null;
    }
    return out;
  }
  function showError(form, message) {
    var box = form.querySelector("[data-passkey-error]");
    if (!box) return;
    box.textContent = message;
    box.hidden = false;
  }
  var supported = !!(window.PublicKeyCredential && navigator.credentials);
  document.querySelectorAll("[data-passkey-login]").forEach(function (f) { if (supported) f.hidden = false; });
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!form.matches) return;
    var register = form.matches("[data-passkey-register]"), login = form.matches("[data-passkey-login]");
    if (!register && !login) return;
    e.preventDefault();
    if (!supported) { showError(form, form.getAttribute("data-unsupported")); return; }
    var api = form.getAttribute("data-api"), ceremony;
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    var flow = post(api + "options").then(function (data) {
      ceremony = data.ceremony;
      return register
        ? navigator.credentials.create({ publicKey: creationOptions(data.options) })
        : navigator.credentials.get({ publicKey: requestOptions(data.options) });
    }).then(function (cred) {
      var body = { ceremony: ceremony, credential: credentialJSON(cred) };
      if (register) body.name = (form.querySelector("[name=name]") || {}).value || "";
      return post(api + "verify", body);
    }).then(function () {
      if (register) window.location.reload();
      else window.location.assign(form.getAttribute("data-next") || "/");
    });
    flow.catch(function (err) {
      if (button) button.disabled = false;
      var text = form.getAttribute("data-failed");
      if (err && err.message && err.name !== "NotAllowedError") text += " " + err.message;
      showError(form, text);
    });
  });
})();
