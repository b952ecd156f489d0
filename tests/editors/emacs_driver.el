;;; emacs_driver.el --- Emacs 28 + eglot 1.9 as the LSP client of neptun-lsp  -*- lexical-binding: t; -*-

;; Used by tests/editors/test_emacs.py:
;;   HOME=<temp> emacs --batch -Q -l emacs_driver.el
;; with NEPTUN_EDITOR_BRIEF naming the JSON brief written by the test.
;;
;; Everything goes through eglot: `eglot-server-programs' starts the server (its environment
;; comes from `setenv'), `eglot-code-actions' asks for actions and shows its menu, and eglot's
;; own window/showMessageRequest handler asks which chat and message.  Both read the answer
;; through `completing-read', which batch Emacs would take from stdin; here
;; `completing-read-function' answers instead, by looking at the prompt, so a prompt that may or
;; may not come ("Sent ...") cannot shift the answers of the others.  The result (menus, prompts,
;; commands, buffer) is written as JSON for the test; the exit code is 0 only if the driver
;; finished.

;;; Code:

(require 'cl-lib)
(require 'subr-x)
(require 'package)
;; -Q skips site-lisp: load Debian's elpa-eglot explicitly.
(setq package-directory-list '("/usr/share/emacs/site-lisp/elpa"))
(package-initialize)
(require 'eglot)

(defconst neptun-test-wait-seconds 20)

(defun neptun-test--read-json (file)
  (with-temp-buffer
    (let ((coding-system-for-read 'utf-8))
      (insert-file-contents file))
    (json-parse-buffer :object-type 'alist :array-type 'list :null-object :null)))

(defvar neptun-test-brief (neptun-test--read-json (getenv "NEPTUN_EDITOR_BRIEF")))

(defun neptun-test--brief (key &optional object)
  (alist-get key (or object neptun-test-brief)))

(defvar neptun-test--menus nil "Code-action menus shown, newest first.")
(defvar neptun-test--prompts nil "showMessageRequest prompts answered, newest first.")
(defvar neptun-test--commands nil "Commands run and how they ended, newest first.")
(defvar neptun-test--messages nil "window/showMessage texts, newest first.")
(defvar neptun-test--problems nil)
(defvar neptun-test--wanted-action nil "The code action to pick in the next menu.")

;;;; Answering the prompts

(defconst neptun-test--request-prompt
  "\\`\\[eglot\\] Server reports (type=[0-9]+): \\(\\(?:.\\|\n\\)*\\)\nChoose an option: \\'"
  "How eglot 1.9 words a window/showMessageRequest prompt; group 1 is the server's message.")

(defun neptun-test--answer-request (message titles)
  "The title to answer MESSAGE with: \"\" dismisses (\"Sent ...\", or anything unexpected)."
  (let ((prompt (list (cons 'message message) (cons 'titles (vconcat titles))
                      (cons 'answer :null)))
        (answer ""))
    (unless (cl-some (lambda (prefix) (string-prefix-p prefix message))
                     (neptun-test--brief 'dismiss))
      (pcase-dolist (`(,prefix . ,title) (neptun-test--brief 'answers))
        (when (and (string-prefix-p (symbol-name prefix) message) (member title titles))
          (setq answer title)
          (setf (alist-get 'answer prompt) title)))
      (when (equal answer "")
        (push (concat "dismissed an unexpected prompt: " message) neptun-test--problems)))
    (push prompt neptun-test--prompts)
    answer))

(defun neptun-test--complete (prompt collection &rest _)
  "`completing-read-function' for the run: answer eglot's menus and the server's prompts."
  (let ((titles (all-completions "" collection)))
    (cond
     ((string-prefix-p "[eglot] Pick an action" prompt)
      (let ((chosen (car (member neptun-test--wanted-action titles))))
        (push (list (cons 'titles (vconcat titles)) (cons 'chosen (or chosen :null)))
              neptun-test--menus)
        (or chosen "")))
     ((string-match neptun-test--request-prompt prompt)
      (neptun-test--answer-request (match-string 1 prompt) titles))
     (t
      (push (concat "unexpected prompt: " prompt) neptun-test--problems)
      ""))))

(cl-defmethod eglot-handle-notification :before
  (_server (_method (eql window/showMessage)) &key message &allow-other-keys)
  (push message neptun-test--messages))

(defun neptun-test--record-command (run server command arguments)
  "Around `eglot-execute-command': note the command and whether it failed."
  (let ((entry (list (cons 'command (symbol-name command)) (cons 'error :null))))
    (push entry neptun-test--commands)
    (condition-case failure
        (funcall run server command arguments)
      (error (setf (alist-get 'error entry) (format "%S" failure)) nil))))

(advice-add 'eglot-execute-command :around #'neptun-test--record-command)

;;;; The run

(defun neptun-test--wait (what condition)
  (let ((deadline (+ (float-time) neptun-test-wait-seconds)))
    (while (not (funcall condition))
      (when (> (float-time) deadline)
        (error "Timed out after %d s waiting for %s" neptun-test-wait-seconds what))
      (accept-process-output nil 0.02))))

(defun neptun-test--position (line character)
  "Buffer position of 0-based LINE and CHARACTER (code points)."
  (save-excursion
    (goto-char (point-min))
    (forward-line line)
    (forward-char character)
    (point)))

(defun neptun-test--run-action (title)
  "Choose TITLE in eglot's code-action menu for the region, or for point without one."
  (setq neptun-test--wanted-action title)
  (let ((before (length neptun-test--commands)))
    (call-interactively #'eglot-code-actions)
    (unless (> (length neptun-test--commands) before)
      (error "No command ran for %S" title))))

(defun neptun-test--main ()
  (pcase-dolist (`(,name . ,value) (neptun-test--brief 'server_env))
    (setenv (symbol-name name) value))
  (setq eglot-server-programs `((python-mode . ,(neptun-test--brief 'server_cmd))))
  ;; eglot 1.9 declares no `window' capabilities: ask the server to prompt anyway.
  (setq-default eglot-workspace-configuration '(:neptun (:prompt t)))
  ;; Else eglot 1.9 shows its menu with `x-popup-menu', which gives nil in batch.
  (setq last-nonmenu-event ?\r)
  (setq completing-read-function #'neptun-test--complete)
  (find-file (neptun-test--brief 'file))
  (eglot-ensure)
  (run-hooks 'post-command-hook) ; eglot-ensure connects from the next command loop turn
  (neptun-test--wait "the server to start"
                     (lambda () (and (eglot-current-server) eglot--managed-mode)))
  ;; Type a line without saving.
  (goto-char (point-min))
  (forward-line (neptun-test--brief 'insert_at))
  (insert (neptun-test--brief 'insert_text) "\n")
  (let ((actions (neptun-test--brief 'actions))
        (selection (neptun-test--brief 'selection)))
    ;; Send buffer: the menu at point, no region.
    (neptun-test--run-action (nth 0 actions))
    ;; Send selection: an active region, end inclusive as the test means it.
    (transient-mark-mode 1)
    (goto-char (neptun-test--position (neptun-test--brief 'start_line selection)
                                      (neptun-test--brief 'start_char selection)))
    (push-mark (point) t t)
    (goto-char (1+ (neptun-test--position (neptun-test--brief 'end_line selection)
                                          (neptun-test--brief 'end_char selection))))
    (neptun-test--run-action (nth 1 actions)))
  (let ((text (buffer-substring-no-properties (point-min) (point-max)))
        (modified (buffer-modified-p)))
    (eglot-shutdown (eglot-current-server) nil nil t)
    (list (cons 'buffer text) (cons 'modified (if modified t :false)))))

(defun neptun-test--save-logs ()
  "eglot's events and stderr buffers, for the test to print when it fails."
  (with-temp-file (neptun-test--brief 'eglot_log)
    (dolist (buffer (buffer-list))
      (when (string-match-p "EGLOT" (buffer-name buffer))
        (insert "=== " (buffer-name buffer) " ===\n"
                (with-current-buffer buffer
                  (buffer-substring-no-properties (point-min) (point-max)))
                "\n")))))

(let* ((outcome (condition-case failure
                    (neptun-test--main)
                  (error (list (cons 'error (format "%S" failure)))))))
  (ignore-errors (neptun-test--save-logs))
  (with-temp-file (neptun-test--brief 'result)
    (setq buffer-file-coding-system 'utf-8)
    (insert
     (json-serialize
      (append outcome
              (list (cons 'menus (vconcat (reverse neptun-test--menus)))
                    (cons 'prompts (vconcat (reverse neptun-test--prompts)))
                    (cons 'commands (vconcat (reverse neptun-test--commands)))
                    (cons 'messages (vconcat (reverse neptun-test--messages)))
                    (cons 'problems (vconcat (reverse neptun-test--problems))))))))
  (kill-emacs (if (alist-get 'error outcome) 2 0)))

;;; emacs_driver.el ends here
