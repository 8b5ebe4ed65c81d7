/**
 * Files the user hands over, with their paths inside any folder: from a drop (folders walked through the entries
 * API), a file input (`webkitdirectory` folders keep their relative paths) or the directory picker. The walk is
 * bounded, and skips hidden folders (`.git`).
 */

export interface PickedFile {
  file: File;
  /** The path inside the dropped or picked folder (`windows/process_creation/x.yml`), or the file name. */
  path: string;
  /** True when the file came from inside a folder (then only known extensions are taken). */
  inFolder: boolean;
}

/** Most files collected from one drop or pick. */
export const MAX_PICKED_FILES = 100_000;

export class TooManyFiles extends Error {
  constructor() {
    super(`more than ${MAX_PICKED_FILES} files: pick a smaller folder`);
  }
}

function push(out: PickedFile[], f: PickedFile): void {
  if (out.length >= MAX_PICKED_FILES) throw new TooManyFiles();
  out.push(f);
}

const hidden = (name: string): boolean => name.startsWith('.');

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((ok, fail) => entry.file(ok, fail));
}

async function readAllEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries returns at most 100 entries a call: call until it returns none.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((ok, fail) => reader.readEntries(ok, fail));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

async function walkEntry(entry: FileSystemEntry, prefix: string, out: PickedFile[], inFolder: boolean): Promise<void> {
  if (entry.isFile) {
    push(out, { file: await entryFile(entry as FileSystemFileEntry), path: prefix + entry.name, inFolder });
    return;
  }
  if (!entry.isDirectory || (inFolder && hidden(entry.name))) return;
  for (const child of await readAllEntries(entry as FileSystemDirectoryEntry)) await walkEntry(child, `${prefix}${entry.name}/`, out, true);
}

/** The files of a drop, folders included. */
export async function filesFromDrop(data: DataTransfer): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const entries = [...data.items].filter((i) => i.kind === 'file').map((i) => i.webkitGetAsEntry?.() ?? null);
  if (entries.length > 0 && entries.every((e) => e !== null)) {
    for (const e of entries) await walkEntry(e!, '', out, false);
    return out;
  }
  // No entries API (or synthetic drops): the plain file list.
  for (const file of data.files) push(out, { file, path: file.name, inFolder: false });
  return out;
}

/** The files of an `<input type=file>` (with `webkitdirectory`, a folder's files with their relative paths). */
export function filesFromInput(input: HTMLInputElement): PickedFile[] {
  const out: PickedFile[] = [];
  for (const file of input.files ?? []) {
    const path = file.webkitRelativePath || file.name;
    if (path.split('/').slice(0, -1).some((part, i) => i > 0 && hidden(part))) continue;
    push(out, { file, path, inFolder: file.webkitRelativePath !== '' });
  }
  return out;
}

/** The parts of the File System Access API's handles used here. */
interface FileHandle {
  kind: 'file';
  name: string;
  getFile(): Promise<File>;
}
interface DirectoryHandle {
  kind: 'directory';
  name: string;
  values(): AsyncIterable<FileHandle | DirectoryHandle>;
}

/** The files under a directory picked with `showDirectoryPicker()`. */
export async function filesFromDirectoryHandle(root: DirectoryHandle): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const walk = async (dir: DirectoryHandle, prefix: string): Promise<void> => {
    for await (const h of dir.values()) {
      if (h.kind === 'file') push(out, { file: await h.getFile(), path: prefix + h.name, inFolder: true });
      else if (!hidden(h.name)) await walk(h, `${prefix}${h.name}/`);
    }
  };
  await walk(root, `${root.name}/`);
  return out;
}

/** `showDirectoryPicker` where the browser has it (Chromium); elsewhere the `webkitdirectory` input is used. */
export function directoryPicker(): (() => Promise<DirectoryHandle>) | null {
  const picker = (globalThis as { showDirectoryPicker?: (o?: object) => Promise<DirectoryHandle> }).showDirectoryPicker;
  return picker ? () => picker({ mode: 'read' }) : null;
}
