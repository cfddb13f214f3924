// electron-vite's import suffixes for the main process (`?nodeWorker` for the memory worker).
/// <reference types="electron-vite/node" />
