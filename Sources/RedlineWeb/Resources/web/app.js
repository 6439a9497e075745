/* Redline web app: progressive enhancement only. Every page works without this script. */
(function () {
  'use strict';
  var $ = function (sel, root) { return (root || document).querySelector(sel); };

  /* Drop zones: drag files onto the labelled boxes; show the chosen name. */
  function setupDrops() {
    document.querySelectorAll('.drop').forEach(function (zone) {
      var input = $('input[type=file]', zone);
      var name = $('.drop-name', zone);
      function show() {
        var file = input.files && input.files[0];
        zone.classList.toggle('has-file', !!file);
        name.textContent = file ? file.name + ' (' + Math.max(1, Math.round(file.size / 1024)) + ' KB)' : 'Drop a file here or choose one';
      }
      input.addEventListener('change', show);
      ['dragenter', 'dragover'].forEach(function (type) {
        zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add('is-over'); });
      });
      ['dragleave', 'drop'].forEach(function (type) {
        zone.addEventListener(type, function () { zone.classList.remove('is-over'); });
      });
      zone.addEventListener('drop', function (e) {
        e.preventDefault();
        if (e.dataTransfer && e.dataTransfer.files.length) {
          input.files = e.dataTransfer.files;
          show();
        }
      });
      show();
    });
  }

  /* Upload with a progress bar, then go to the live progress page. */
  function setupUpload() {
    var form = $('#compare-form');
    if (!form || !window.FormData || !window.XMLHttpRequest) return;
    var maxBytes = Number(form.getAttribute('data-max-bytes')) || 0;
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var error = $('#upload-error');
      error.hidden = true;
      var files = [$('#left-file').files[0], $('#right-file').files[0]];
      if (!files[0] || !files[1]) { fail('Choose both documents.'); return; }
      for (var i = 0; i < 2; i++) {
        if (maxBytes && files[i].size > maxBytes) { fail(files[i].name + ' is larger than the limit.'); return; }
      }
      var button = $('button[type=submit]', form);
      button.disabled = true;
      $('#upload').hidden = false;
      var xhr = new XMLHttpRequest();
      xhr.open('POST', form.action);
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.setRequestHeader('X-CSRF-Token', $('input[name=csrf]', form).value);
      xhr.upload.addEventListener('progress', function (ev) {
        if (!ev.lengthComputable) return;
        var pct = Math.round(ev.loaded / ev.total * 100);
        $('#upload-progress').value = pct;
        $('#upload-text').textContent = pct < 100 ? 'Uploading… ' + pct + '%' : 'Upload complete; starting the comparison…';
      });
      xhr.addEventListener('load', function () {
        var body = {};
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { body = {}; }
        if (xhr.status === 201 && body.progressUrl) { window.location.assign(body.progressUrl); return; }
        reset();
        fail(body.detail || 'The upload failed (HTTP ' + xhr.status + '). Try again.');
      });
      xhr.addEventListener('error', function () { reset(); fail('The connection was lost during the upload. Try again.'); });
      xhr.send(new FormData(form));
      function reset() { button.disabled = false; $('#upload').hidden = true; }
    });
    function fail(message) {
      var error = $('#upload-error');
      error.textContent = message;
      error.hidden = false;
    }
  }

  /* Live progress: poll the status until ready (then open the viewer) or failed. */
  function setupProgress() {
    var box = $('#progress');
    if (!box) return;
    var order = ['queued', 'converting', 'comparing', 'ready'];
    function paint(stage) {
      var index = order.indexOf(stage);
      box.querySelectorAll('.stages li').forEach(function (li, i) {
        li.classList.toggle('is-done', index >= 0 && i < index || stage === 'ready');
        li.classList.toggle('is-current', i === index && stage !== 'ready');
        if (i === index) li.setAttribute('aria-current', 'step'); else li.removeAttribute('aria-current');
      });
    }
    var initial = box.getAttribute('data-status');
    paint(initial === 'processing' ? 'converting' : initial);
    if (box.getAttribute('data-auto-open') !== '1') return;
    var url = box.getAttribute('data-status-url');
    var delay = 500;
    function poll() {
      fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.json(); })
        .then(function (s) {
          paint(s.stage);
          $('#stage-label').textContent = s.label || s.stage;
          if (s.status === 'ready' && s.viewerUrl) {
            $('#open-viewer').hidden = false;
            window.location.assign(s.viewerUrl);
            return;
          }
          if (s.status === 'failed') {
            var err = $('#stage-error');
            err.textContent = (s.error || 'The comparison failed.') + ' Check that both files open in their own application, then compare again.';
            err.hidden = false;
            return;
          }
          delay = Math.min(delay * 1.5, 3000);
          setTimeout(poll, delay);
        })
        .catch(function () { setTimeout(poll, 3000); });
    }
    setTimeout(poll, delay);
  }

  /* Copy buttons and confirmations for destructive forms. */
  function setupSmallThings() {
    document.querySelectorAll('[data-copy]').forEach(function (button) {
      button.addEventListener('click', function () {
        var input = document.getElementById(button.getAttribute('data-copy'));
        input.select();
        if (navigator.clipboard) navigator.clipboard.writeText(input.value).catch(function () { document.execCommand('copy'); });
        else document.execCommand('copy');
        button.textContent = 'Copied';
      });
    });
    document.querySelectorAll('form[data-confirm]').forEach(function (form) {
      form.addEventListener('submit', function (e) {
        if (!window.confirm(form.getAttribute('data-confirm'))) e.preventDefault();
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    setupDrops();
    setupUpload();
    setupProgress();
    setupSmallThings();
  });
})();
