import pytest

from neptun_lsp.languages import (
    LANGUAGE_IDS,
    LANGUAGES,
    canonical_language,
    extension_for_language,
    is_name_only_file,
    language_for_extension,
    language_for_filename,
)

P = pytest.param

EXTENSIONS = [
    P("abap", "abap", id="abap"),
    P("bat", "bat", id="bat"),
    P("bibtex", "bib", id="bibtex"),
    P("c", "c", id="c"),
    P("clojure", "clj", id="clojure"),
    P("cmake", "cmake", id="cmake"),
    P("coffeescript", "coffee", id="coffeescript"),
    P("cpp", "cpp", id="cpp"),
    P("csharp", "cs", id="csharp"),
    P("css", "css", id="css"),
    P("cuda-cpp", "cu", id="cuda-cpp"),
    P("d", "d", id="d"),
    P("dart", "dart", id="dart"),
    P("diff", "diff", id="diff"),
    P("dockerfile", "dockerfile", id="dockerfile"),
    P("dotenv", "env", id="dotenv"),
    P("elixir", "ex", id="elixir"),
    P("elm", "elm", id="elm"),
    P("emacs-lisp", "el", id="emacs-lisp"),
    P("erlang", "erl", id="erlang"),
    P("fsharp", "fs", id="fsharp"),
    P("git-commit", "gitcommit", id="git-commit"),
    P("git-rebase", "gitrebase", id="git-rebase"),
    P("go", "go", id="go"),
    P("go.mod", "mod", id="go.mod"),
    P("graphql", "graphql", id="graphql"),
    P("groovy", "groovy", id="groovy"),
    P("haml", "haml", id="haml"),
    P("handlebars", "hbs", id="handlebars"),
    P("haskell", "hs", id="haskell"),
    P("html", "html", id="html"),
    P("ignore", "gitignore", id="ignore"),
    P("ini", "ini", id="ini"),
    P("java", "java", id="java"),
    P("javascript", "js", id="javascript"),
    P("javascriptreact", "jsx", id="javascriptreact"),
    P("json", "json", id="json"),
    P("jsonc", "jsonc", id="jsonc"),
    P("julia", "jl", id="julia"),
    P("kotlin", "kt", id="kotlin"),
    P("latex", "tex", id="latex"),
    P("less", "less", id="less"),
    P("lua", "lua", id="lua"),
    P("makefile", "mk", id="makefile"),
    P("markdown", "md", id="markdown"),
    P("nim", "nim", id="nim"),
    P("nix", "nix", id="nix"),
    P("objective-c", "m", id="objective-c"),
    P("objective-cpp", "mm", id="objective-cpp"),
    P("ocaml", "ml", id="ocaml"),
    P("pascal", "pas", id="pascal"),
    P("perl", "pl", id="perl"),
    P("php", "php", id="php"),
    P("plaintext", "txt", id="plaintext"),
    P("powershell", "ps1", id="powershell"),
    P("properties", "properties", id="properties"),
    P("proto", "proto", id="proto"),
    P("pug", "pug", id="pug"),
    P("python", "py", id="python"),
    P("r", "r", id="r"),
    P("raku", "raku", id="raku"),
    P("razor", "cshtml", id="razor"),
    P("ruby", "rb", id="ruby"),
    P("rust", "rs", id="rust"),
    P("sass", "sass", id="sass"),
    P("scala", "scala", id="scala"),
    P("scss", "scss", id="scss"),
    P("shaderlab", "shader", id="shaderlab"),
    P("shellscript", "sh", id="shellscript"),
    P("slim", "slim", id="slim"),
    P("solidity", "sol", id="solidity"),
    P("sql", "sql", id="sql"),
    P("starlark", "bzl", id="starlark"),
    P("stylus", "styl", id="stylus"),
    P("svelte", "svelte", id="svelte"),
    P("swift", "swift", id="swift"),
    P("terraform", "tf", id="terraform"),
    P("toml", "toml", id="toml"),
    P("typescript", "ts", id="typescript"),
    P("typescriptreact", "tsx", id="typescriptreact"),
    P("vb", "vb", id="vb"),
    P("vim", "vim", id="vim"),
    P("vue", "vue", id="vue"),
    P("xml", "xml", id="xml"),
    P("xsl", "xsl", id="xsl"),
    P("yaml", "yaml", id="yaml"),
    P("zig", "zig", id="zig"),
]

ALIASES = [
    # Neovim filetypes
    P("sh", "shellscript", id="nvim-sh"),
    P("bash", "shellscript", id="nvim-bash"),
    P("zsh", "shellscript", id="nvim-zsh"),
    P("cs", "csharp", id="nvim-cs"),
    P("make", "makefile", id="nvim-make"),
    P("text", "plaintext", id="nvim-text"),
    P("tex", "latex", id="nvim-tex"),
    P("vim", "vim", id="nvim-vim"),
    P("javascript.jsx", "javascriptreact", id="nvim-javascript.jsx"),
    P("typescript.tsx", "typescriptreact", id="nvim-typescript.tsx"),
    P("objc", "objective-c", id="nvim-objc"),
    P("objcpp", "objective-cpp", id="nvim-objcpp"),
    P("dosbatch", "bat", id="nvim-dosbatch"),
    P("dosini", "ini", id="nvim-dosini"),
    P("ps1", "powershell", id="nvim-ps1"),
    P("gitcommit", "git-commit", id="nvim-gitcommit"),
    P("gitrebase", "git-rebase", id="nvim-gitrebase"),
    P("gitignore", "ignore", id="nvim-gitignore"),
    P("gitconfig", "properties", id="nvim-gitconfig"),
    P("bzl", "starlark", id="nvim-bzl"),
    P("cuda", "cuda-cpp", id="nvim-cuda"),
    P("gomod", "go.mod", id="nvim-gomod"),
    P("eruby", "erb", id="nvim-eruby"),
    P("htmldjango", "jinja", id="nvim-htmldjango"),
    P("yaml.docker-compose", "yaml", id="nvim-yaml.docker-compose"),
    # Emacs major modes as eglot and others send them
    P("c++", "cpp", id="emacs-c++"),
    P("js", "javascript", id="emacs-js"),
    P("emacs-lisp", "emacs-lisp", id="emacs-emacs-lisp"),
    P("elisp", "emacs-lisp", id="elisp"),
    P("lisp-interaction", "emacs-lisp", id="emacs-lisp-interaction"),
    P("python-ts", "python", id="emacs-python-ts"),
    P("python-ts-mode", "python", id="emacs-python-ts-mode"),
    P("c++-mode", "cpp", id="emacs-c++-mode"),
    P("sh-mode", "shellscript", id="emacs-sh-mode"),
    P("bash-ts-mode", "shellscript", id="emacs-bash-ts-mode"),
    P("makefile-gmake-mode", "makefile", id="emacs-makefile-gmake-mode"),
    P("tsx-ts-mode", "typescriptreact", id="emacs-tsx-ts-mode"),
    P("js2", "javascript", id="emacs-js2"),
    P("rjsx", "javascriptreact", id="emacs-rjsx"),
    P("cperl", "perl", id="emacs-cperl"),
    P("tuareg", "ocaml", id="emacs-tuareg"),
    P("nxml", "xml", id="emacs-nxml"),
    P("go-dot-mod", "go.mod", id="emacs-go-dot-mod"),
    # Renamed or secondary VS Code ids
    P("perl6", "raku", id="vscode-perl6"),
    P("jade", "pug", id="vscode-jade"),
    P("vue-html", "vue", id="vscode-vue-html"),
    P("dockercompose", "yaml", id="vscode-dockercompose"),
    P("aspnetcorerazor", "razor", id="vscode-aspnetcorerazor"),
    # Case and whitespace
    P("Python", "python", id="mixed-case"),
    P("  SHELLSCRIPT ", "shellscript", id="upper-padded"),
    P("LaTeX", "latex", id="emacs-LaTeX"),
]

EXTENSION_LOOKUPS = [
    P("py", "python", id="plain"),
    P(".py", "python", id="leading-dot"),
    P("PY", "python", id="upper"),
    P(".Tsx", "typescriptreact", id="dot-mixed-case"),
    P("d.ts", "typescript", id="compound"),
    P(".html.erb", "erb", id="compound-dot"),
    P("h", "cpp", id="header-is-cpp"),
    P("hpp", "cpp", id="hpp"),
    P("yml", "yaml", id="yml"),
    P("mjs", "javascript", id="mjs"),
    P("mk", "makefile", id="mk"),
    P("Dockerfile", "dockerfile", id="dockerfile-suffix"),
    P("cfg", "properties", id="cfg"),
    P("sty", "latex", id="sty"),
    P("jade", "pug", id="jade"),
    P("svg", "xml", id="svg"),
]

FILENAMES = [
    P("Makefile", "makefile", id="Makefile"),
    P("makefile", "makefile", id="makefile"),
    P("GNUmakefile", "makefile", id="GNUmakefile"),
    P("Makefile.am", "makefile", id="Makefile.am"),
    P("Dockerfile", "dockerfile", id="Dockerfile"),
    P("dockerfile", "dockerfile", id="dockerfile-lower"),
    P("Containerfile", "dockerfile", id="Containerfile"),
    P("Dockerfile.dev", "dockerfile", id="Dockerfile.dev"),
    P("api.Dockerfile", "dockerfile", id="api.Dockerfile"),
    P("CMakeLists.txt", "cmake", id="CMakeLists.txt"),
    P("Gemfile", "ruby", id="Gemfile"),
    P("Rakefile", "ruby", id="Rakefile"),
    P("Vagrantfile", "ruby", id="Vagrantfile"),
    P("Jenkinsfile", "groovy", id="Jenkinsfile"),
    P("Procfile", "procfile", id="Procfile"),
    P(".bashrc", "shellscript", id=".bashrc"),
    P(".zshrc", "shellscript", id=".zshrc"),
    P(".profile", "shellscript", id=".profile"),
    P(".gitignore", "ignore", id=".gitignore"),
    P(".gitattributes", "properties", id=".gitattributes"),
    P(".editorconfig", "properties", id=".editorconfig"),
    P(".env", "dotenv", id=".env"),
    P(".env.local", "dotenv", id=".env.local"),
    P("BUILD", "starlark", id="BUILD"),
    P("BUILD.bazel", "starlark", id="BUILD.bazel"),
    P("WORKSPACE", "starlark", id="WORKSPACE"),
    P("go.mod", "go.mod", id="go.mod"),
    P("Cargo.lock", "toml", id="Cargo.lock"),
    P("tsconfig.json", "jsonc", id="tsconfig.json"),
    P("COMMIT_EDITMSG", "git-commit", id="COMMIT_EDITMSG"),
    P("main.py", "python", id="by-extension"),
    P("App.test.TSX", "typescriptreact", id="by-last-extension"),
    P("/home/me/project/Makefile", "makefile", id="posix-path"),
    P("C:\\src\\main.c", "c", id="windows-path"),
    P("src/types.d.ts", "typescript", id="relative-path"),
]

UNKNOWN_FILENAMES = [
    P("README", id="no-extension"),
    P("notes.unknownext", id="unknown-extension"),
    P(".unknownrc", id="unknown-dotfile"),
    P("foo.", id="trailing-dot"),
    P("", id="empty"),
    P("src/", id="directory"),
]

NAME_ONLY = [
    P("Makefile", True, id="Makefile"),
    P("Dockerfile", True, id="Dockerfile"),
    P("Dockerfile.dev", True, id="Dockerfile.dev"),
    P(".bashrc", True, id=".bashrc"),
    P(".unknownrc", True, id="unknown-dotfile"),
    P(".env.production", True, id=".env.production"),
    P("CMakeLists.txt", True, id="CMakeLists.txt"),
    P("go.mod", True, id="go.mod"),
    P("repo/.gitignore", True, id="path-to-dotfile"),
    P("main.py", False, id="main.py"),
    P("api.Dockerfile", False, id="api.Dockerfile"),
    P(".eslintrc.js", False, id="dotfile-with-extension"),
    P("README", False, id="README"),
    P(".", False, id="dot"),
    P("", False, id="empty"),
]


@pytest.mark.parametrize(("language_id", "extension"), EXTENSIONS)
def test_extension_for_language(language_id: str, extension: str) -> None:
    assert extension_for_language(language_id) == extension


def test_extension_table_covers_common_ids() -> None:
    assert len(EXTENSIONS) >= 60
    assert len(LANGUAGE_IDS) >= 70


@pytest.mark.parametrize(("alias", "canonical"), ALIASES)
def test_canonical_language_resolves_aliases(alias: str, canonical: str) -> None:
    assert canonical_language(alias) == canonical
    assert extension_for_language(alias) == extension_for_language(canonical)


@pytest.mark.parametrize("language_id", sorted(LANGUAGE_IDS))
def test_round_trip(language_id: str) -> None:
    extension = extension_for_language(language_id)
    assert extension, f"{language_id} has no extension"
    assert language_for_extension(extension) == language_id
    assert canonical_language(language_id) == language_id
    assert extension_for_language(language_id.upper()) == extension


@pytest.mark.parametrize(("extension", "language_id"), EXTENSION_LOOKUPS)
def test_language_for_extension(extension: str, language_id: str) -> None:
    assert language_for_extension(extension) == language_id


@pytest.mark.parametrize(("filename", "language_id"), FILENAMES)
def test_language_for_filename(filename: str, language_id: str) -> None:
    assert language_for_filename(filename) == language_id


@pytest.mark.parametrize("filename", UNKNOWN_FILENAMES)
def test_language_for_filename_unknown(filename: str) -> None:
    assert language_for_filename(filename) is None


@pytest.mark.parametrize(("filename", "expected"), NAME_ONLY)
def test_is_name_only_file(filename: str, expected: bool) -> None:
    assert is_name_only_file(filename) is expected


@pytest.mark.parametrize(
    "language_id",
    [P("brainfuck", id="unknown"), P("", id="empty"), P("python-typo", id="near-miss")],
)
def test_unknown_language_id(language_id: str) -> None:
    assert extension_for_language(language_id) is None


@pytest.mark.parametrize(
    "extension", [P("xyz123", id="unknown"), P("", id="empty"), P(".", id="dot")]
)
def test_unknown_extension(extension: str) -> None:
    assert language_for_extension(extension) is None


@pytest.mark.parametrize(
    ("language_id", "expected"),
    [P("Brainfuck", "brainfuck", id="lowercased"), P("made-up-mode", "made-up-mode", id="mode")],
)
def test_canonical_language_passes_unknown_ids_through(language_id: str, expected: str) -> None:
    assert canonical_language(language_id) == expected


def _duplicates(values: list[str]) -> set[str]:
    return {value for value in values if values.count(value) > 1}


def test_table_has_no_conflicting_entries() -> None:
    # A duplicate would silently lose one mapping when the lookup dicts are built.
    assert _duplicates([lang.id for lang in LANGUAGES]) == set()
    assert _duplicates([ext for lang in LANGUAGES for ext in lang.extensions]) == set()
    aliases = [alias for lang in LANGUAGES for alias in lang.aliases]
    assert _duplicates(aliases) == set()
    assert set(aliases) & LANGUAGE_IDS == set()
    names = [name.lower() for lang in LANGUAGES for name in lang.filenames]
    assert _duplicates(names) == set()


def test_table_is_lowercase_where_lookups_lowercase() -> None:
    for lang in LANGUAGES:
        assert lang.id == lang.id.lower()
        assert lang.extensions, lang.id
        assert all(ext == ext.lower() and not ext.startswith(".") for ext in lang.extensions)
        assert all(alias == alias.lower() for alias in lang.aliases)
