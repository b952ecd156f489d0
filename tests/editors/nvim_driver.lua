-- Drives headless Neovim 0.7 as the LSP client of neptun-lsp (tests/editors/test_neovim.py).
--
-- Run: nvim --headless -u NONE -i NONE -n -S nvim_driver.lua, with NEPTUN_EDITOR_BRIEF naming
-- the JSON brief written by the test. Everything goes through Neovim's own LSP client and UI:
-- vim.lsp.start_client starts the server, the code-action menu (vim.ui.select -> inputlist)
-- and the server's window/showMessageRequest prompts (inputlist) are answered by typeahead,
-- exactly as a user typing the number would. The result (menus, prompts, commands, buffer) is
-- written as JSON for the test to check; the exit code is 0 only if the driver finished.

local brief = vim.fn.json_decode(vim.fn.readfile(os.getenv("NEPTUN_EDITOR_BRIEF")))
local WAIT_MS = 20000

local result = {
  menus = {},
  prompts = {},
  commands = {},
  messages = {},
  problems = {},
  error = vim.NIL,
}

local function write_result()
  vim.fn.writefile({ vim.fn.json_encode(result) }, brief.result)
end

local function wait_for(what, condition)
  if not vim.wait(WAIT_MS, condition, 10) then
    error("timed out after " .. WAIT_MS .. " ms waiting for " .. what)
  end
end

-- Answer an inputlist() that is about to be called, as a user would: the number, then Enter.
-- An index of 0 (just Enter) dismisses.
local function type_ahead(index)
  vim.api.nvim_feedkeys((index > 0 and tostring(index) or "") .. "\r", "t", false)
end

local function index_of(list, wanted)
  for i, item in ipairs(list) do
    if item == wanted then
      return i
    end
  end
  return 0
end

-- The code-action menu: pick the title the test wants next.
local wanted_action = nil
local original_select = vim.ui.select
vim.ui.select = function(items, opts, on_choice)
  local titles = {}
  for i, item in ipairs(items) do
    titles[i] = opts.format_item and opts.format_item(item) or tostring(item)
  end
  local index = index_of(titles, wanted_action)
  table.insert(result.menus, { titles = titles, chosen = index > 0 and wanted_action or vim.NIL })
  type_ahead(index)
  return original_select(items, opts, on_choice)
end

-- The server's prompts: choose by the message's beginning; "Sent ..." and anything unexpected
-- is dismissed (an unanswered inputlist would block headless Neovim for good).
local function starts_with(text, prefix)
  return text:sub(1, #prefix) == prefix
end

local original_request = vim.lsp.handlers["window/showMessageRequest"]
vim.lsp.handlers["window/showMessageRequest"] = function(err, params, ctx, config)
  local titles = {}
  for i, action in ipairs(params.actions or {}) do
    titles[i] = action.title
  end
  local prompt = { message = params.message, titles = titles, answer = vim.NIL }
  table.insert(result.prompts, prompt)
  for _, prefix in ipairs(brief.dismiss) do
    if starts_with(params.message, prefix) then
      return vim.NIL
    end
  end
  local index = 0
  for prefix, title in pairs(brief.answers) do
    if starts_with(params.message, prefix) then
      index = index_of(titles, title)
      prompt.answer = index > 0 and title or vim.NIL
    end
  end
  if index == 0 then
    table.insert(result.problems, "dismissed an unexpected prompt: " .. params.message)
  end
  type_ahead(index)
  return original_request(err, params, ctx, config)
end

-- What the server said, and how each command ended.
local original_show = vim.lsp.handlers["window/showMessage"]
vim.lsp.handlers["window/showMessage"] = function(err, params, ctx, config)
  table.insert(result.messages, params.message)
  return original_show(err, params, ctx, config)
end

local original_execute = vim.lsp.handlers["workspace/executeCommand"]
vim.lsp.handlers["workspace/executeCommand"] = function(err, value, ctx, config)
  table.insert(result.commands, {
    command = ctx.params.command,
    error = err and err.message or vim.NIL,
    result = value or vim.NIL,
  })
  return original_execute(err, value, ctx, config)
end

local function run_action(title, trigger)
  wanted_action = title
  local before = #result.commands
  trigger()
  wait_for("the answer to " .. title, function()
    return #result.commands > before
  end)
end

local function main()
  vim.cmd("filetype on") -- -u NONE turns detection off; the server should get "python"
  vim.cmd("edit " .. vim.fn.fnameescape(brief.file))
  local bufnr = vim.api.nvim_get_current_buf()

  local client_id = vim.lsp.start_client({
    name = "neptun",
    cmd = brief.server_cmd,
    cmd_env = brief.server_env,
    root_dir = brief.root,
    flags = { debounce_text_changes = 0 },
  })
  assert(client_id, "vim.lsp.start_client failed")
  vim.lsp.buf_attach_client(bufnr, client_id)
  local client = vim.lsp.get_client_by_id(client_id)
  wait_for("the server to initialise", function()
    return client.initialized
  end)

  -- Type a line without saving.
  vim.api.nvim_buf_set_lines(bufnr, brief.insert_at, brief.insert_at, false, { brief.insert_text })

  -- Send buffer: the code-action menu at the cursor.
  run_action(brief.actions[1], function()
    vim.lsp.buf.code_action()
  end)

  -- Send selection: a characterwise Visual selection, then the range code-action menu.
  local s = brief.selection
  local function column(chars)
    return chars > 0 and ("0" .. chars .. "l") or "0"
  end
  vim.cmd(
    string.format(
      "normal! %dG%sv%dG%s\27",
      s.start_line + 1,
      column(s.start_char),
      s.end_line + 1,
      column(s.end_char)
    )
  )
  run_action(brief.actions[2], function()
    vim.lsp.buf.range_code_action()
  end)

  result.buffer = table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), "\n") .. "\n"
  result.modified = vim.api.nvim_buf_get_option(bufnr, "modified")

  vim.lsp.stop_client(client_id)
  wait_for("the server to stop", function()
    return client.is_stopped()
  end)
end

local ok, failure = xpcall(main, debug.traceback)
if not ok then
  result.error = tostring(failure)
end
write_result()
vim.cmd(ok and "qall!" or "cquit 2")
