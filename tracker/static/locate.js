// Progressive enhancement: offer "use my location" only where the browser can.
(function () {
  var form = document.getElementById("locate-form");
  if (!form || !("geolocation" in navigator)) { return; }
  form.hidden = false;
  document.getElementById("locate-button").addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (position) {
      document.getElementById("lat").value = position.coords.latitude.toFixed(6);
      document.getElementById("lon").value = position.coords.longitude.toFixed(6);
      form.submit();
    }, function () {
      alert("Your location is not available. Use your address or district instead.");
    }, { timeout: 10000 });
  });
})();
