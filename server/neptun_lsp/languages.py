"""Language ids, file extensions and well-known file names, in both directions.

Editors do not agree on language ids: VS Code sends ``shellscript`` where Neovim sends
``sh`` and Emacs (eglot, which derives the id from the major mode) sends ``sh`` or
``bash``. Untitled buffers have no file name, so the language id is the only hint for
the extension a snippet should carry; files such as ``Makefile`` or ``.bashrc`` have no
extension, so their whole name is the hint for the language. Everything below is built
from the single ``LANGUAGES`` table so the directions cannot drift apart.
"""

from typing import NamedTuple


class Language(NamedTuple):
    """One language: canonical id, extensions (the first is preferred), aliases, names.

    A file name ending in ``.*`` also matches that name followed by any suffix
    (``Dockerfile.*`` matches ``Dockerfile`` and ``Dockerfile.dev``).
    """

    id: str
    extensions: tuple[str, ...]
    aliases: tuple[str, ...]
    filenames: tuple[str, ...]


def _lang(language_id: str, extensions: str, aliases: str = "", filenames: str = "") -> Language:
    # Space-separated strings keep the table one line per language.
    return Language(
        language_id, tuple(extensions.split()), tuple(aliases.split()), tuple(filenames.split())
    )


# Where extensions collide, the editors' defaults win: ``.h`` is C++ (VS Code and Neovim
# both say so), ``.m`` is Objective-C, ``.v`` is Verilog, ``.fs`` is F#. Ids that name no
# real extension (git-commit, git-rebase, procfile) get a made-up one so that every id
# can still title an untitled buffer.
LANGUAGES: tuple[Language, ...] = (
    _lang("abap", "abap"),
    _lang("ada", "adb ads ada"),
    _lang("asciidoc", "adoc asciidoc", "adoc"),
    _lang("asm", "asm s nasm", "assembly nasm masm gas"),
    _lang("astro", "astro"),
    _lang("awk", "awk", "gawk nawk mawk"),
    _lang("bat", "bat cmd", "dosbatch batch cmd"),
    _lang("bibtex", "bib", "bib"),
    _lang("c", "c i"),
    _lang("clojure", "clj cljs cljc edn", "clj clojurescript clojurec"),
    _lang("cmake", "cmake", "", "CMakeLists.txt"),
    _lang("cobol", "cbl cob cpy"),
    _lang("coffeescript", "coffee cson", "coffee"),
    _lang("cpp", "cpp cc cxx c++ cppm ixx hpp hh hxx h++ h inl ipp tpp ino", "c++ cxx"),
    _lang("crystal", "cr"),
    _lang("csharp", "cs csx", "cs c#"),
    _lang("css", "css"),
    _lang("csv", "csv"),
    _lang("cuda-cpp", "cu cuh", "cuda"),
    _lang("d", "d di", "dlang"),
    _lang("dart", "dart"),
    _lang("diff", "diff patch rej", "patch"),
    _lang(
        "dockerfile",
        "dockerfile containerfile",
        "docker containerfile",
        "Dockerfile.* Containerfile.*",
    ),
    _lang("dotenv", "env", "env", ".env.* .flaskenv"),
    _lang("elixir", "ex exs"),
    _lang("elm", "elm"),
    _lang("emacs-lisp", "el", "elisp lisp-interaction lisp-data", ".emacs _emacs Cask"),
    _lang("erb", "erb rhtml", "eruby"),
    _lang("erlang", "erl hrl", "", "rebar.config"),
    _lang("fennel", "fnl"),
    _lang("fish", "fish"),
    _lang(
        "fortran",
        "f90 f95 f03 f08 f for f77",
        "fortranfreeform fortranfixedform f90",
    ),
    _lang("fsharp", "fs fsi fsx", "fs f#"),
    _lang("git-commit", "gitcommit", "gitcommit", "COMMIT_EDITMSG MERGE_MSG TAG_EDITMSG"),
    _lang("git-rebase", "gitrebase", "gitrebase", "git-rebase-todo"),
    _lang("gleam", "gleam"),
    _lang("glsl", "glsl vert frag geom comp tesc tese"),
    _lang("go", "go", "golang"),
    _lang("go.mod", "mod", "gomod go-mod go-dot-mod", "go.mod"),
    _lang("graphql", "graphql gql graphqls", "gql"),
    _lang("groovy", "groovy gvy gradle jenkinsfile", "gradle jenkinsfile", "Jenkinsfile.*"),
    _lang("haml", "haml"),
    _lang("handlebars", "hbs handlebars mustache", "hbs mustache"),
    _lang("haskell", "hs lhs", "lhaskell"),
    _lang("hcl", "hcl nomad"),
    _lang("hlsl", "hlsl hlsli fx"),
    _lang("html", "html htm xhtml shtml", "xhtml mhtml web htm"),
    _lang(
        "ignore",
        "gitignore dockerignore npmignore",
        "gitignore dockerignore",
        ".gitignore .dockerignore .npmignore .prettierignore .eslintignore .vscodeignore",
    ),
    _lang("ini", "ini", "dosini conf-windows", ".npmrc .flake8 .coveragerc .pylintrc"),
    _lang("java", "java"),
    _lang("javascript", "js mjs cjs es6", "js js2 js3 node ecmascript"),
    _lang("javascriptreact", "jsx", "jsx javascript.jsx js-jsx rjsx"),
    _lang("jinja", "jinja jinja2 j2", "jinja2 jinja-html django-html htmldjango"),
    _lang("json", "json geojson webmanifest", "js-json", "flake.lock Pipfile.lock composer.lock"),
    _lang("json5", "json5"),
    _lang(
        "jsonc",
        "jsonc code-workspace",
        "",
        "tsconfig.json jsconfig.json .eslintrc.json devcontainer.json .devcontainer.json",
    ),
    _lang("jsonl", "jsonl ndjson", "ndjson"),
    _lang("julia", "jl"),
    _lang("just", "just", "justfile", "justfile .justfile"),
    _lang("kotlin", "kt kts", "kts"),
    _lang("latex", "tex ltx sty cls dtx", "tex plaintex plain-tex"),
    _lang("less", "less", "less-css"),
    _lang("liquid", "liquid"),
    _lang("lisp", "lisp lsp cl asd", "commonlisp common-lisp cl"),
    _lang("llvm", "ll"),
    _lang("log", "log"),
    _lang("lua", "lua", "", ".luacheckrc"),
    _lang(
        "makefile",
        "mk mak make",
        "make makefile-gmake makefile-bsdmake makefile-automake makefile-imake automake",
        "Makefile.* GNUmakefile BSDmakefile",
    ),
    _lang("markdown", "md markdown mkd mdown mdwn", "md gfm pandoc"),
    _lang("mdx", "mdx"),
    _lang("nim", "nim nims nimble"),
    _lang("ninja", "ninja"),
    _lang("nix", "nix"),
    _lang("nushell", "nu", "nu"),
    _lang("objective-c", "m", "objc"),
    _lang("objective-cpp", "mm", "objcpp objc++ objective-c++"),
    _lang("ocaml", "ml mli mll mly", "tuareg caml ocaml.interface ocaml.ocamllex ocaml.menhir"),
    _lang("org", "org"),
    _lang("pascal", "pas pp p dpr lpr", "delphi objectpascal opascal"),
    _lang("perl", "pl pm pod psgi", "cperl"),
    _lang("php", "php phtml php4 php5 phps"),
    _lang("plaintext", "txt text", "text txt plain fundamental"),
    _lang("powershell", "ps1 psm1 psd1", "ps1 pwsh posh"),
    _lang("prisma", "prisma"),
    _lang("procfile", "procfile", "", "Procfile.*"),
    _lang(
        "properties",
        "properties cfg conf",
        "jproperties conf conf-unix conf-javaprop gitconfig gitattributes editorconfig",
        ".gitattributes .gitconfig .gitmodules .editorconfig gitconfig",
    ),
    _lang("proto", "proto", "protobuf proto3"),
    _lang("pug", "pug jade", "jade"),
    _lang("python", "py pyi pyw", "py python3 python2", "SConstruct SConscript"),
    _lang("r", "r", "rlang ess-r", ".Rprofile"),
    _lang("racket", "rkt"),
    _lang("raku", "raku rakumod rakutest p6 pm6 pl6", "perl6"),
    _lang("razor", "cshtml razor", "aspnetcorerazor cshtml"),
    _lang("restructuredtext", "rst", "rst"),
    _lang(
        "ruby",
        "rb rake gemspec ru rbi",
        "rb enh-ruby",
        "Gemfile Rakefile Vagrantfile Podfile Guardfile Capfile Berksfile Brewfile Fastfile",
    ),
    _lang("rust", "rs", "rustic"),
    _lang("sass", "sass"),
    _lang("scala", "scala sc sbt"),
    _lang("scheme", "scm ss sld", "guile"),
    _lang("scss", "scss"),
    _lang("shaderlab", "shader"),
    _lang(
        "shellscript",
        "sh bash zsh ksh ebuild",
        "sh bash zsh ksh dash shell shell-script",
        ".bashrc .bash_profile .bash_login .bash_logout .bash_aliases .profile .zshrc "
        ".zshenv .zprofile .zlogin .zlogout .kshrc .envrc PKGBUILD APKBUILD",
    ),
    _lang("slim", "slim"),
    _lang("solidity", "sol"),
    _lang("sql", "sql pgsql psql", "mysql plsql pgsql postgres postgresql sqlite tsql"),
    _lang(
        "starlark",
        "bzl star bazel",
        "bzl bazel skylark",
        "BUILD WORKSPACE BUILD.bazel WORKSPACE.bazel MODULE.bazel Tiltfile",
    ),
    _lang("stylus", "styl stylus", "styl"),
    _lang("svelte", "svelte"),
    _lang("swift", "swift"),
    _lang("systemverilog", "sv svh"),
    _lang("tcl", "tcl tk", "tk"),
    _lang("terraform", "tf tfvars", "tf terraform-vars"),
    _lang("toml", "toml", "conf-toml", "Cargo.lock Pipfile poetry.lock uv.lock"),
    _lang("tsv", "tsv"),
    _lang("twig", "twig"),
    _lang("typescript", "ts mts cts", "ts"),
    _lang("typescriptreact", "tsx", "tsx typescript.tsx typescript-tsx"),
    _lang("vb", "vb vbs bas vba", "vbnet visualbasic visual-basic vbscript"),
    _lang("verilog", "v vh"),
    _lang("vhdl", "vhd vhdl"),
    _lang("vim", "vim", "viml vimscript vimrc", ".vimrc _vimrc .gvimrc .exrc"),
    _lang("vue", "vue", "vue-html"),
    _lang("wgsl", "wgsl"),
    _lang("xml", "xml xsd svg plist csproj fsproj vbproj xaml wsdl", "nxml xsd svg"),
    _lang("xsl", "xsl xslt", "xslt"),
    _lang(
        "yaml",
        "yaml yml",
        "yml dockercompose docker-compose yaml.docker-compose ansible yaml.ansible",
        ".clang-format .clang-tidy",
    ),
    _lang("zig", "zig zon"),
)

LANGUAGE_IDS: frozenset[str] = frozenset(lang.id for lang in LANGUAGES)

_PREFERRED_EXTENSION: dict[str, str] = {lang.id: lang.extensions[0] for lang in LANGUAGES}
_EXTENSION_LANGUAGE: dict[str, str] = {
    ext: lang.id for lang in LANGUAGES for ext in lang.extensions
}
_ID_LANGUAGE: dict[str, str] = {
    **{alias: lang.id for lang in LANGUAGES for alias in lang.aliases},
    **{lang.id: lang.id for lang in LANGUAGES},
}
# File names compare case-insensitively: Windows and macOS file systems do, and both
# ``Makefile`` and ``makefile`` are in common use.
_FILENAME_LANGUAGE: dict[str, str] = {
    name.removesuffix(".*").lower(): lang.id for lang in LANGUAGES for name in lang.filenames
}
_VARIANT_LANGUAGE: dict[str, str] = {
    name.removesuffix(".*").lower(): lang.id
    for lang in LANGUAGES
    for name in lang.filenames
    if name.endswith(".*")
}
# Eglot strips only ``-mode`` from the major mode, so tree-sitter modes arrive as
# ``python-ts``; other Emacs clients may send the whole mode name.
_MODE_SUFFIXES = ("-ts-mode", "-mode", "-ts")


def canonical_language(language_id: str) -> str:
    """Return the canonical id for an id or alias; unknown ids come back stripped, lowercased."""
    key = language_id.strip().lower()
    if key in _ID_LANGUAGE:
        return _ID_LANGUAGE[key]
    for suffix in _MODE_SUFFIXES:
        if key.endswith(suffix) and key.removesuffix(suffix) in _ID_LANGUAGE:
            return _ID_LANGUAGE[key.removesuffix(suffix)]
    return key


def extension_for_language(language_id: str) -> str | None:
    """Return the preferred extension (without a dot) for a language id or alias."""
    return _PREFERRED_EXTENSION.get(canonical_language(language_id))


def language_for_extension(extension: str) -> str | None:
    """Return the canonical id for an extension such as ``py``, ``.PY`` or ``d.ts``."""
    key = extension.strip().lower().removeprefix(".")
    return _EXTENSION_LANGUAGE.get(key.rpartition(".")[2])


def language_for_filename(filename: str) -> str | None:
    """Return the canonical id for a file name or path, by whole name first, then extension."""
    name = _basename(filename).lower()
    by_name = _FILENAME_LANGUAGE.get(name) or _variant_language(name)
    if by_name is not None:
        return by_name
    stem, dot, extension = name.rpartition(".")
    # A lone leading dot (``.foo``) marks a hidden file, not an extension.
    if not dot or not stem:
        return None
    return _EXTENSION_LANGUAGE.get(extension)


def is_name_only_file(filename: str) -> bool:
    """Whether the file's whole name identifies it (``Makefile``, ``.bashrc``, ``go.mod``)."""
    name = _basename(filename).lower()
    if name in _FILENAME_LANGUAGE or _variant_language(name) is not None:
        return True
    return len(name) > 1 and name.startswith(".") and "." not in name[1:]


def _basename(path: str) -> str:
    # Clients may send Windows paths to a server running anywhere.
    return path.replace("\\", "/").rsplit("/", 1)[-1].strip()


def _variant_language(name: str) -> str | None:
    dot = name.find(".", 1)
    return _VARIANT_LANGUAGE.get(name[:dot]) if dot > 0 else None
