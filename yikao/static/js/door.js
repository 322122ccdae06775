/* The door check page (seating/door.html): camera scan with jsQR (vendor/jsqr), and the
   form posted with fetch so the camera keeps running between candidates. Without this file
   (or without a camera) the form works as a plain form: type the 准考证号, get the page back. */
(function () {
  "use strict";
  var form = document.getElementById("door-form");
  if (!form) return;
  var input = form.querySelector("input[name=code]");
  var camera = document.getElementById("door-camera");
  var video = document.getElementById("door-video");
  var canvas = document.getElementById("door-canvas");
  var note = document.getElementById("door-camera-note");
  var scanButton = document.getElementById("door-scan");
  var stopButton = document.getElementById("door-stop");
  var stream = null;
  var busy = false;
  var lastCode = "";
  var lastAt = 0;
  var SAME_CODE_MS = 4000; // a ticket held in view is checked once, not every frame
  var MAX_WIDTH = 640; // frames are scaled down: jsQR's time grows with the pixels

  function replace(id, html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var fresh = doc.getElementById(id);
    var old = document.getElementById(id);
    if (fresh && old) old.replaceWith(fresh);
  }

  function submit(code) {
    if (busy) return;
    busy = true;
    var data = new FormData(form);
    if (code !== undefined) data.set("code", code);
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Door-Fetch": "1" }
    }).then(function (response) {
      if (response.status === 302 || response.redirected) { window.location.reload(); return ""; }
      return response.text();
    }).then(function (html) {
      if (!html) return;
      replace("door-count", html);
      replace("door-result", html);
      var verdict = document.querySelector("#door-result [data-outcome]");
      if (verdict && verdict.dataset.outcome !== "ok" && navigator.vibrate) navigator.vibrate([120, 60, 120]);
      if (code === undefined) { input.value = ""; }
      var result = document.getElementById("door-result");
      if (result && result.scrollIntoView) result.scrollIntoView({ block: "nearest" });
    }).catch(function () {
      replace("door-result", '<div id="door-result"><p class="alert alert-error" role="alert">网络异常，未能核验，请重试。</p></div>');
    }).then(function () { busy = false; });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  function frame() {
    if (!stream) return;
    if (video.readyState >= 2 && !busy && window.jsQR) {
      var scale = Math.min(1, MAX_WIDTH / video.videoWidth);
      var w = Math.round(video.videoWidth * scale), h = Math.round(video.videoHeight * scale);
      if (w && h) {
        canvas.width = w; canvas.height = h;
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, w, h);
        var found = window.jsQR(context.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: "dontInvert" });
        var now = Date.now();
        if (found && found.data && (found.data !== lastCode || now - lastAt > SAME_CODE_MS)) {
          lastCode = found.data; lastAt = now;
          submit(found.data);
        }
      }
    }
    window.requestAnimationFrame(frame);
  }

  function stop() {
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    camera.hidden = true; stopButton.hidden = true; scanButton.hidden = false;
  }

  function start() {
    note.textContent = "正在打开摄像头…";
    camera.hidden = false;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        return video.play();
      }).then(function () {
        note.textContent = "将准考证上的二维码对准取景框";
        scanButton.hidden = true; stopButton.hidden = false;
        window.requestAnimationFrame(frame);
      }).catch(function () {
        stop();
        note.textContent = "";
        replace("door-result", '<div id="door-result"><p class="alert alert-error" role="alert">无法打开摄像头（未授权或设备不支持），请输入准考证号核验。</p></div>');
      });
  }

  if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    scanButton.hidden = false;
    scanButton.addEventListener("click", start);
    stopButton.addEventListener("click", stop);
    document.addEventListener("visibilitychange", function () { if (document.hidden) stop(); });
  }
})();
