/**
 * The web console's entry: served by the coordinator at `/`, it calls only
 * concord.v1.AdminService, through the generated Connect client (api.ts).
 */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app.js";
import "./styles.css";

const root = document.getElementById("root");
if (!root) throw new Error("index.html has no #root element");
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
