/** Exposes exactly `window.moderator` = { invoke, on } to the page; nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('moderator', createBridge(ipcRenderer));
