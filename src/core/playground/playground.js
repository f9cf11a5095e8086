/* global React, ReactDOM, GraphiQL, graphqlWs */
// Queries and mutations go over HTTP; subscriptions over graphql-ws on the same
// path. The headers editor is sent as HTTP headers and as connection_init payload.
(function () {
  var endpoint = location.origin + "/graphql";
  var wsEndpoint = endpoint.replace(/^http/, "ws");

  function isSubscription(params) {
    var query = params.query || "";
    if (params.operationName) {
      var named = new RegExp("\\b(query|mutation|subscription)\\s+" + params.operationName + "\\b").exec(query);
      if (named) return named[1] === "subscription";
    }
    return /^\s*subscription\b/m.test(query);
  }

  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    if (isSubscription(params)) {
      return {
        subscribe: function (sink) {
          var client = graphqlWs.createClient({ url: wsEndpoint, connectionParams: headers });
          var stop = client.subscribe(params, {
            next: function (value) { sink.next(value); },
            error: function (error) { sink.error(error); client.dispose(); },
            complete: function () { sink.complete(); client.dispose(); },
          });
          return { unsubscribe: function () { stop(); client.dispose(); } };
        },
      };
    }
    return fetch(endpoint, {
      method: "POST",
      headers: Object.assign({ "content-type": "application/json", accept: "application/json" }, headers),
      body: JSON.stringify(params),
    }).then(function (response) { return response.json(); });
  }

  ReactDOM.createRoot(document.getElementById("root")).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultEditorToolsVisibility: "headers",
      defaultHeaders: JSON.stringify({ Authorization: "Bearer <token from login>" }, null, 2),
      defaultQuery: "query {\n  serverInfo {\n    name\n    time\n  }\n}\n",
    }),
  );
})();
