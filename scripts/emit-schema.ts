import "reflect-metadata";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { renderSchemaSdl } from "../src/schema";

// Regenerates schema.graphql from the type-graphql resolvers (`npm run schema`).
renderSchemaSdl().then((sdl) => {
  writeFileSync(path.resolve(__dirname, "..", "schema.graphql"), sdl);
  console.log("schema.graphql written");
});
