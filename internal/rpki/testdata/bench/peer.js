// Drives the npm package rpki-validator offline for .ci/bench-rov (see
// shared/design/reference/rov-peer.md): VRPs from a JSON file through the "external" connector,
// every route through the synchronous cache path, one state per line written to OUT
// (valid / invalid / not-found), in input order. Network access is disabled.
//
// usage: node peer.js MODULE_DIR VRPS.json ROUTES.txt OUT
"use strict";
const fs = require("fs");
const path = require("path");

global.fetch = () => Promise.reject(new Error("network disabled"));

async function main() {
    const [moduleDir, vrpsPath, routesPath, outPath] = process.argv.slice(2);
    const RpkiValidator = require(path.join(moduleDir, "node_modules", "rpki-validator"));
    let json = JSON.parse(fs.readFileSync(vrpsPath, "utf8"));
    const rpki = new RpkiValidator({
        connector: "external",
        defaultRpkiApi: null,
        axios: () => Promise.reject(new Error("network disabled")),
    });
    rpki.setVRPs(json.roas);
    json = null;
    await rpki.preCache();

    const lines = fs.readFileSync(routesPath, "utf8").split("\n");
    const out = [];
    for (const line of lines) {
        const hash = line.indexOf("#");
        const text = (hash >= 0 ? line.slice(0, hash) : line).trim();
        if (text === "") {
            continue;
        }
        const [prefix, origin] = text.split(/\s+/);
        const asn = origin.replace(/^AS/i, "");
        const r = rpki.validateFromCacheSync(prefix, asn, false);
        out.push(r === true ? "valid" : r === false ? "invalid" : "not-found");
    }
    fs.writeFileSync(outPath, out.join("\n") + "\n");
    rpki.dispose();
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
