// The portal's service worker: shows the Web Push notifications the server sends (a JSON
// payload of title, body and url, encrypted for this browser) and opens the portal at the url
// when one is tapped. It caches nothing: every page comes from the server.
self.addEventListener("push", (event) => {
  let message = { title: "Госуслуги", body: "", url: "/notifications" };
  try {
    message = Object.assign(message, event.data ? event.data.json() : {});
  } catch (_) {
    message.body = event.data ? event.data.text() : "";
  }
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      icon: "/favicon.svg",
      lang: "ru",
      data: { url: message.url },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const url = (event.notification.data && event.notification.data.url) || "/notifications";
  // Only the portal's own addresses are opened.
  const target = new URL(url, self.location.origin);
  const same = target.origin === self.location.origin ? target.href : self.location.origin + "/notifications";
  event.waitUntil(self.clients.openWindow(same));
});
